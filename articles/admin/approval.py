"""Attorney approvals: read-only, listed on their own and under each article."""

from django.contrib import admin

from articles.models import ArticleApproval


class ArticleApprovalInline(admin.TabularInline):
    model = ArticleApproval
    fk_name = "article"
    extra = 0
    can_delete = False
    fields = ["approved_at", "approved_by", "title", "content_hash", "note"]
    readonly_fields = fields
    verbose_name_plural = "attorney approvals (newest first)"

    def has_add_permission(self, request, obj=None):
        return False  # only the "Approve this text" button records one

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleApproval)
class ArticleApprovalAdmin(admin.ModelAdmin):
    """The record of who approved what went live: readable, never editable."""

    list_display = ["approved_at", "title", "approved_by", "content_hash", "note"]
    list_filter = ["approved_by"]
    list_select_related = ["approved_by"]
    search_fields = ["title", "content_hash"]
    date_hierarchy = "approved_at"
    fields = [
        "article", "approved_by", "approved_at", "content_hash", "note", "title", "summary",
        "reviewed_by", "last_reviewed_on", "text_updated_at", "body_html",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "toc")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Attorney approvals: read-only, listed on their own and under each article."""

from django.contrib import admin

from articles.models import ArticleApproval


class ArticleApprovalInline(admin.TabularInline):
    model = ArticleApproval
    fk_name = "article"
    extra = 0
    can_delete = False
    fields = ["approved_at", "approver_name", "approved_by_user", "title", "is_self_approval", "note"]
    readonly_fields = fields
    verbose_name_plural = "attorney approvals (newest first)"

    def has_add_permission(self, request, obj=None):
        return False  # only the "Approve this text" button records one

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleApproval)
class ArticleApprovalAdmin(admin.ModelAdmin):
    """The record of who approved what went live: readable, never editable."""

    # The hash stays out of the list (it means nothing at a glance); each record shows it.
    list_display = ["approved_at", "title", "approver_name", "approved_by_user", "is_self_approval", "note"]
    list_filter = ["approved_by", "is_self_approval"]
    list_select_related = ["approved_by_user"]
    search_fields = ["title", "content_hash"]
    date_hierarchy = "approved_at"
    fields = [
        "article", "approver_name", "approved_by", "approved_by_user", "is_self_approval", "approved_at", "note",
        "content_hash", "title", "summary",
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

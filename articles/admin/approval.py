"""Attorney approvals: read-only, listed on their own (an article's change page lists its own, ArticleAdmin's
approval_record)."""

from django.contrib import admin

from articles.models import Approval, Draft


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """The record of who approved what went live: readable, never editable."""

    # The hash stays out of the list (it means nothing at a glance); each record shows it.
    list_display = [
        "approved_at",
        "title",
        "content_type",
        "approver_name",
        "approved_by_user",
        "is_self_approval",
        "note",
    ]
    list_filter = ["content_type", "approved_by", "is_self_approval"]
    list_select_related = ["approved_by_user", "content_type"]
    search_fields = ["data__title", "content_hash", "approver_name"]
    date_hierarchy = "approved_at"
    fields = [
        "content_type", "object_id", "approver_name", "approved_by", "approved_by_user", "is_self_approval",
        "approved_at", "note", "content_hash", "data",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """What waits for approval, of every kind (each is approved on its object's approval screen)."""

    list_display = ["__str__", "content_type", "updated_at", "updated_by"]
    list_filter = ["content_type"]
    fields = ["content_type", "object_id", "updated_at", "updated_by", "content_hash", "data"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

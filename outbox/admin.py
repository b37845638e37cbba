"""Every email in the admin: its state and attempts, what it is about, and "Send again"."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from outbox import kinds
from outbox.models import OutboundEmail
from outbox.queue import resend


def local_time(moment) -> str:
    """New York time with its zone (EST/EDT), as staff read every time, e.g. "Dec 1, 2026, 11:15 PM EST"."""
    return f"{timezone.localtime(moment):%b %-d, %Y, %-I:%M %p %Z}" if moment else "-"


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("__str__", "about_link", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", KindFilter)
    fields = (
        "kind_label",
        "about_link",
        "about",
        "recipient",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "lease_until",
        "last_error",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ("action_resend",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "about", "recipient")

    def has_add_permission(self, request):
        return False

    @admin.display(description="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description="about")
    def about_link(self, obj):
        """A link to what the email is about, in the admin (its number or title, never a narrative)."""
        if not obj.content_type_id:
            return "-"
        kind = kinds.get(obj.kind)
        text = kind.describe(obj) if kind and kind.describe else f"{obj.content_type.name} {obj.object_id}"
        meta = obj.content_type
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.action(description="Send again")
    def action_resend(self, request, queryset):
        count = resend(queryset)
        self.message_user(request, f"{count} email(s) queued to send again.", messages.SUCCESS)

    action_resend.allowed_permissions = ("change",)


class EmailHistoryFormSet(BaseGenericInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "emails"  # the page's ids read #emails-0, not #outbox-outboundemail-content_type-object_id-0


class EmailHistoryInline(GenericTabularInline):
    """The emails about one object (e.g. on a consultation request's page), read-only."""

    model = OutboundEmail
    formset = EmailHistoryFormSet
    verbose_name_plural = "email history"
    fields = ("kind_label", "state", "attempts", "last_error", "next_attempt", "sent")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description="next attempt")
    def next_attempt(self, obj):
        return local_time(obj.next_attempt_at) if obj.state == OutboundEmail.State.PENDING else "-"

    @admin.display(description="sent")
    def sent(self, obj):
        return local_time(obj.sent_at)

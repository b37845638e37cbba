"""The email outbox in the admin: every email's state, and "Send again"."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from consultations.models import OutboundEmail
from consultations.services import resend


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("__str__", "request", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", "kind")
    fields = (
        "kind",
        "request",
        "about",
        "digest_run",
        "recipient",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ("action_resend",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("consultation", "about", "digest_run", "recipient")
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="request")
    def request(self, obj):
        if not obj.consultation_id:
            return "-"
        url = reverse("admin:consultations_consultationrequest_change", args=[obj.consultation_id])
        return format_html('<a href="{}">{}</a>', url, obj.consultation.number)

    @admin.action(description="Send again")
    def action_resend(self, request, queryset):
        count = resend(queryset)
        self.message_user(request, f"{count} email(s) queued to send again.", messages.SUCCESS)

    action_resend.allowed_permissions = ("change",)

import csv
import re

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from consultations.forms import ConsultationRequestForm
from consultations.models import ConsultationRequest, InternalNote, OutboundEmail
from consultations.services import mark_not_spam, resend

# What the visitor typed: exactly the form's fields, shown read-only.
SUBMITTED_FIELDS = tuple(ConsultationRequestForm.Meta.fields)
# On the change page the phone number and email address are links: one click to call or write back. The
# practice area is shown as the visitor chose it (its label then), even if the area was renamed since.
LINKED = {"phone": "phone_link", "email": "email_link", "practice_area": "practice_area_label"}
SUBMITTED_DISPLAY = tuple(LINKED.get(name, name) for name in SUBMITTED_FIELDS)
METADATA_FIELDS = (
    "number",
    "received_at",
    "source_article",
    "disclaimer_version",
    "language",
    "user_agent",
    "spam_reason",
    "closed_at",
    "purged_at",
)
FLAG_FIELDS = ("is_notice_of_claim_risk", "is_limitation_close", "is_missing_callback")
CSV_COLUMNS = [
    ("number", "Request"),
    ("received_at", "Received"),
    ("get_status_display", "Status"),
    ("assignee", "Assignee"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("get_contact_method_display", "Contact by"),
    ("get_best_time_display", "Best time"),
    ("practice_area_label", "Practice area"),
    ("incident_date", "Incident date"),
    ("get_public_entity_display", "Public body involved"),
    ("flags", "Flags"),
    ("source_article_slug", "Source article"),
]


def csv_cell(value) -> str:
    """Text for a spreadsheet cell; a leading = + - @ would otherwise run as a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class InternalNoteInline(admin.TabularInline):
    model = InternalNote
    extra = 1
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # notes are a record: added, never rewritten


class OutboundEmailInline(admin.TabularInline):
    model = OutboundEmail
    fk_name = "consultation"
    verbose_name_plural = "email history"
    fields = ("kind", "state", "attempts", "last_error", "next_attempt_at", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "received_at",
        "age",
        "name",
        "language",
        "practice_area_label",
        "status",
        "assignee",
        "flag_summary",
        "spam_reason",
        "delivery",
    )
    list_display_links = ("number", "name")
    list_filter = (
        "status",
        "language",
        "practice_area",
        "is_notice_of_claim_risk",
        "is_limitation_close",
        "is_missing_callback",
        "spam_reason",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "received_at",
    )
    search_fields = ("name", "email", "phone", "other_parties")
    date_hierarchy = "received_at"
    list_per_page = 50
    fieldsets = (
        ("Triage", {"fields": ("status", "assignee", "flag_list")}),
        ("What the visitor sent", {"fields": SUBMITTED_DISPLAY}),
        ("Request details", {"fields": METADATA_FIELDS, "classes": ("collapse",)}),
    )
    readonly_fields = (*SUBMITTED_DISPLAY, *METADATA_FIELDS, "flag_list")
    inlines = (InternalNoteInline, OutboundEmailInline)
    actions = ("action_not_spam", "action_export_csv", "action_resend_failed")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("assignee")
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            # The list never shows the narrative; don't load it.
            queryset = queryset.defer("what_happened", "other_parties", "user_agent").prefetch_related(
                "emails"
            )
        return queryset

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper().removeprefix("R-").lstrip("0")
        if term.isdigit():
            return queryset.filter(pk=int(term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # requests come from the website form only

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .filter(Q(groups__name="Intake") | Q(is_superuser=True))
                .distinct()
                .order_by("first_name", "username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "status" in form.base_fields:
            allowed = obj.allowed_statuses(obj.status)
            field = form.base_fields["status"]
            field.choices = [
                (value, label) for value, label in ConsultationRequest.Status.choices if value in allowed
            ]
        return form

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, InternalNote) and note.author_id is None:
                note.author = request.user
                note.created_at = timezone.now()
            note.save()
        formset.save_m2m()

    @admin.display(description="request", ordering="pk")
    def number(self, obj):
        return obj.number

    @admin.display(description="age")
    def age(self, obj):
        return timesince(obj.received_at)

    @admin.display(description="flags")
    def flag_summary(self, obj):
        return ", ".join(obj.short_flags) or "-"

    @admin.display(description="phone")
    def phone_link(self, obj):
        if not obj.phone:
            return "-"
        return format_html('<a href="tel:{}">{}</a>', re.sub(r"[^\d+]", "", obj.phone), obj.phone)

    @admin.display(description="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email) if obj.email else "-"

    @admin.display(description="flags")
    def flag_list(self, obj):
        return format_html("<br>".join(["{}"] * len(obj.flags)), *obj.flags) if obj.flags else "none"

    @admin.display(description="emails")
    def delivery(self, obj):
        return (
            ", ".join(f"{email.kind}: {email.get_state_display().lower()}" for email in obj.emails.all())
            or "-"
        )

    @admin.display(description="source article")
    def source_article(self, obj):
        return obj.source_article_slug or "-"

    @admin.action(description="Not spam: make it a new request and send the emails")
    def action_not_spam(self, request, queryset):
        done = sum(mark_not_spam(consultation) for consultation in queryset)
        self.message_user(
            request, f"{done} request(s) moved to New; their emails are queued.", messages.SUCCESS
        )

    action_not_spam.allowed_permissions = ("change",)

    @admin.action(description="Send failed or pending emails again")
    def action_resend_failed(self, request, queryset):
        emails = OutboundEmail.objects.filter(consultation__in=queryset).exclude(
            state=OutboundEmail.State.SENT
        )
        count = resend(emails)
        self.message_user(request, f"{count} email(s) queued to send again.", messages.SUCCESS)

    action_resend_failed.allowed_permissions = ("change",)

    @admin.action(description="Export selected to CSV (no descriptions)")
    def action_export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="consultations-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow([title for _, title in CSV_COLUMNS])
        for consultation in queryset.select_related("assignee").order_by("received_at"):
            row = []
            for attribute, _ in CSV_COLUMNS:
                value = getattr(consultation, attribute)
                row.append(csv_cell(value() if callable(value) else value))
            writer.writerow(row)
        return response

    action_export_csv.allowed_permissions = ("export",)

    def has_export_permission(self, request):
        return request.user.has_perm("consultations.export_consultationrequest")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("__str__", "request", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", "kind")
    fields = (
        "kind",
        "request",
        "about",
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
        return super().get_queryset(request).select_related("consultation", "about")

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

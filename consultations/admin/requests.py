"""The consultation-request triage admin: the list most urgent first, the request page and its actions."""

import csv

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from consultations import deadlines
from consultations.admin.display import (
    CSV_COLUMNS,
    METADATA_FIELDS,
    SUBMITTED_DISPLAY,
    csv_cell,
    local_time,
    tel_href,
)
from consultations.admin.filters import AssigneeFilter, StatusFilter
from consultations.models import ConsultationRequest, InternalNote
from consultations.services import mark_not_spam, queue_assignment_email
from outbox.admin import EmailHistoryInline
from outbox.models import OutboundEmail
from outbox.queue import resend

# Django's tabular inline prints each row's __str__ above its cells; for notes and emails that repeats the
# row (the email's kind, the note's author and time) a second time. This copy of the template leaves it out.
RECORD_INLINE_TEMPLATE = "admin/consultations/edit_inline/tabular_record.html"


class InternalNoteInline(admin.TabularInline):
    model = InternalNote
    template = RECORD_INLINE_TEMPLATE
    extra = 1
    fields = ("text", "written_by", "written_at")
    readonly_fields = ("written_by", "written_at")
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # notes are a record: added, never rewritten

    # Who and when are shown only once a note is saved: the empty form for a new note shows nothing.
    @admin.display(description="author")
    def written_by(self, obj):
        return (obj.author or "-") if obj and obj.pk else ""

    @admin.display(description="written (New York time)")
    def written_at(self, obj):
        return local_time(obj.created_at) if obj and obj.pk else ""


class EmailInline(EmailHistoryInline):
    template = RECORD_INLINE_TEMPLATE


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    # The triage list: what intake needs to call back, most urgent first (consultations/urgency.py).
    list_display = (
        "number",
        "age",
        "name",
        "language",
        "phone_link",
        "best_time_short",
        "area",
        "status",
        "assignee",
        "urgency_cell",
    )
    list_display_links = ("number", "name")
    list_filter = (
        StatusFilter,
        AssigneeFilter,
        "language",
        "practice_area",
        "is_notice_of_claim_risk",
        "is_missing_callback",
        "spam_reason",
        "received_at",
    )
    search_fields = ("name", "email", "phone", "other_parties")
    list_per_page = 50
    show_full_result_count = False  # one COUNT(*) fewer per page
    fieldsets = (
        ("Triage", {"fields": ("status", "assignee", "urgency_detail", "flag_list")}),
        ("What the visitor sent", {"fields": SUBMITTED_DISPLAY}),
        ("Request details", {"fields": METADATA_FIELDS, "classes": ("collapse",)}),
    )
    readonly_fields = (*SUBMITTED_DISPLAY, *METADATA_FIELDS, "urgency_detail", "flag_list")
    inlines = (InternalNoteInline, EmailInline)
    actions = ("action_not_spam", "action_export_csv", "action_resend_failed")

    class Media:
        css = {"all": ["css/admin-intake.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("assignee", "practice_area")
        if self._is_changelist(request):
            # The list never shows the narrative; don't load it. Urgency is computed in SQL so the list sorts
            # and paginates in the database.
            queryset = queryset.defer("what_happened", "other_parties", "user_agent").with_urgency()
        return queryset

    def get_ordering(self, request):
        if self._is_changelist(request):
            # Most urgent first: deadline-critical, overdue, new, in progress; then the nearest deadline and
            # the oldest. Clicking a column header sorts by that column instead.
            return (
                F("urgency_rank").asc(),
                F("next_deadline").asc(nulls_last=True),
                F("received_at").asc(),
            )
        return super().get_ordering(request)

    @staticmethod
    def _is_changelist(request) -> bool:
        return bool(request.resolver_match and request.resolver_match.url_name.endswith("changelist"))

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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Assigning someone else tells them by email (in this transaction, through the outbox); assigning
        # yourself needs no email.
        tell = change and "assignee" in form.changed_data and obj.assignee and obj.assignee != request.user
        if tell and queue_assignment_email(consultation=obj, assignee=obj.assignee) is None:
            self.message_user(
                request,
                f"{obj.assignee} has no email address, so they were not told by email.",
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, InternalNote) and note.author_id is None:
                note.author = request.user
                note.created_at = timezone.now()
            note.save()
        formset.save_m2m()

    @admin.display(description="ref.", ordering="pk")
    def number(self, obj):
        return obj.number

    @admin.display(description="age", ordering="-received_at")
    def age(self, obj):
        # Only the largest unit ("2 days", "5 hours"): the exact time is on the request page.
        return format_html(
            '<span title="Received {}">{}</span>',
            local_time(obj.received_at),
            timesince(obj.received_at, depth=1),
        )

    @admin.display(description="practice area", ordering="practice_area_label")
    def area(self, obj):
        return obj.practice_area_label

    @admin.display(description="best time", ordering="best_time")
    def best_time_short(self, obj):
        return obj.get_best_time_display().split(" (")[0]

    @admin.display(description="urgency", ordering="urgency_rank")
    def urgency_cell(self, obj):
        """Coloured and worded (never colour alone): the class sets the colour, the words say the same."""
        urgency = obj.urgency()
        return format_html(
            '<span class="urgency urgency--{}">{}</span>',
            urgency.level,
            format_html_join(
                "", '<span class="urgency__line">{}</span>', ((line,) for line in urgency.lines)
            ),
        )

    @admin.display(description="deadline estimates")
    def urgency_detail(self, obj):
        urgency = obj.urgency()
        estimates = obj.deadline_estimates()
        return format_html(
            '<div class="urgency urgency--{}">{}</div>{}<p class="help">Every date is an {}, from what the '
            "visitor told us; tolling and other exceptions can change it.</p>",
            urgency.level,
            format_html_join("", "<p>{}</p>", ((line,) for line in urgency.lines)),
            format_html(
                "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((e.long_wording(),) for e in estimates))
            )
            if estimates
            else "",
            deadlines.CONFIRM,
        )

    @admin.display(description="phone")
    def phone_link(self, obj):
        if not obj.phone:
            return "-"
        return format_html('<a href="{}">{}</a>', tel_href(obj.phone), obj.phone)

    @admin.display(description="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email) if obj.email else "-"

    @admin.display(description="flags")
    def flag_list(self, obj):
        return format_html("<br>".join(["{}"] * len(obj.flags)), *obj.flags) if obj.flags else "none"

    @admin.display(description="received (New York time)")
    def received(self, obj):
        return local_time(obj.received_at)

    @admin.display(description="closed")
    def closed(self, obj):
        return local_time(obj.closed_at)

    @admin.display(description="personal details purged")
    def purged(self, obj):
        return local_time(obj.purged_at)

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

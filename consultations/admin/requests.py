"""The consultation-request triage admin: the list most urgent first, the request page and its actions."""

from django.contrib import admin, messages
from django.db.models import F
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from consultations import deadlines
from consultations.admin import export
from consultations.admin.assignees import assign_to_me_view, assignee_field, can_take, person_name
from consultations.admin.display import METADATA_FIELDS, REACH_FIELDS, SUBMITTED_DISPLAY, local_time, tel_href
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
        "name_cell",
        "urgency_cell",
        "phone_link",
        "email_link",
        "best_time_short",
        "area",
        "status",
        "assignee_cell",
    )
    list_display_links = ("number", "name_cell")
    list_filter = (
        StatusFilter,
        AssigneeFilter,
        "language",
        "what",
        "who",
        "practice_area",
        "is_notice_of_claim_risk",
        "is_missing_callback",
        "spam_reason",
        "received_at",
    )
    search_fields = ("name", "email", "phone", "other_parties")
    list_per_page = 50
    show_full_result_count = False  # one COUNT(*) fewer per page
    # Urgency and how to reach the visitor come first, so a phone shows them without scrolling.
    fieldsets = (
        ("Urgency and how to reach them", {"fields": REACH_FIELDS}),
        ("Triage", {"fields": ("status", "assignee", "flag_list")}),
        ("What the visitor sent", {"fields": SUBMITTED_DISPLAY}),
        ("Request details", {"fields": METADATA_FIELDS, "classes": ("collapse",)}),
    )
    readonly_fields = (*REACH_FIELDS, *SUBMITTED_DISPLAY, *METADATA_FIELDS, "flag_list")
    inlines = (InternalNoteInline, EmailInline)
    actions = ("action_not_spam", "action_export_xlsx", "action_export_csv", "action_resend_failed")

    class Media:
        css = {"all": ["css/admin-intake.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("assignee", "practice_area")
        if self._is_changelist(request):
            # The list never shows the narrative; don't load it. Urgency is computed in SQL so the list sorts
            # and paginates in the database.
            # The time-limits table is read once per page (intake_rules) and handed to every row.
            if not hasattr(request, "intake_rules"):
                request.intake_rules = deadlines.intake_rules()
            queryset = queryset.defer("what_happened", "other_parties", "user_agent").with_urgency(
                rules=request.intake_rules
            )
        return queryset

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # "Assign to me" on an unassigned row, for someone who may take requests: back to this very list.
        preserved = self.get_preserved_filters(request)
        can = can_take(request.user)
        for obj in changelist.result_list:
            obj.intake_rules = getattr(request, "intake_rules", None)
            obj.assign_url = f"{self.assign_url(obj)}?back=list&{preserved}" if can else ""
        return changelist

    def get_urls(self):
        view = self.admin_site.admin_view(self.assign_to_me)
        name = f"{self.opts.app_label}_{self.opts.model_name}_assign_to_me"
        return [path("<path:object_id>/assign-to-me/", view, name=name), *super().get_urls()]

    def assign_to_me(self, request, object_id):
        return assign_to_me_view(self, request, object_id)

    def assign_url(self, obj) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_assign_to_me", args=[obj.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and can_take(request.user) and obj.assignee_id != request.user.pk:
            context["assign_to_me_url"] = f"{self.assign_url(obj)}?{self.get_preserved_filters(request)}"
        return super().render_change_form(request, context, add, change, form_url, obj)

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "assignee" in form.base_fields:
            # By name, everyone who may take a request (consultations/admin/assignees.py).
            form.base_fields["assignee"] = assignee_field(current=obj.assignee if obj else None)
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
        """Colored and worded (never color alone): the class sets the color, the words say the same."""
        urgency = obj.urgency(rules=getattr(obj, "intake_rules", None))
        return format_html(
            '<span class="urgency urgency--{}">{}</span>',
            urgency.level,
            format_html_join(
                "", '<span class="urgency__line">{}</span>', ((line,) for line in urgency.lines)
            ),
        )

    @admin.display(description="deadline estimates")
    def urgency_detail(self, obj):
        rules = deadlines.intake_rules()
        urgency = obj.urgency(rules=rules)
        estimates = obj.deadline_estimates(rules=rules)
        return format_html(
            '<div class="urgency urgency--{}">{}</div>{}<p class="help">Every date is an {}, from what the '
            "visitor told us; tolling and other exceptions can change it.</p>",
            urgency.level,
            format_html_join("", "<p>{}</p>", ((line,) for line in urgency.lines)),
            format_html(
                "<ul>{}</ul>",
                format_html_join("", "<li>{}</li>", ((deadlines.long_wording(e),) for e in estimates)),
            )
            if estimates
            else "",
            deadlines.CONFIRM,
        )

    @admin.display(description="name", ordering="name")
    def name_cell(self, obj):
        """The name, and "Spanish" under it for a visitor who used the Spanish form (the call may need a
        Spanish speaker); English is the rule and goes unsaid, which keeps a column free."""
        if obj.language == "es":
            return format_html('{}<span class="prefers-spanish">Spanish</span>', obj.name)
        return obj.name

    @admin.display(description="assignee", ordering="assignee__first_name")
    def assignee_cell(self, obj):
        if obj.assignee_id:
            return person_name(obj.assignee)
        if getattr(obj, "assign_url", ""):
            # The button belongs to the small form under the list (admin/.../change_list.html), not to the
            # list's own form: one click, no action menu.
            return format_html(
                '<button type="submit" form="assign-to-me" formaction="{}" class="button assign-to-me">'
                "Assign to me</button>",
                obj.assign_url,
            )
        return "-"

    @admin.display(description="phone")
    def phone_link(self, obj):
        if not obj.phone:
            return "-"
        # Each part of the number stays on one line ("555-0147" never breaks at its hyphen); the text is the
        # number exactly as given, so it copies as typed.
        parts = format_html_join(
            " ", '<span class="nowrap">{}</span>', ((part,) for part in obj.phone.split())
        )
        return format_html('<a href="{}">{}</a>', tel_href(obj.phone), parts)

    @admin.display(description="email")
    def email_link(self, obj):
        if not obj.email:
            return "-"
        # A break opportunity after the @ lets a long address wrap in a narrow column.
        local, _, domain = obj.email.rpartition("@")
        return format_html('<a href="mailto:{}">{}@<wbr>{}</a>', obj.email, local, domain)

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

    @admin.action(description="Export selected to Excel (.xlsx, no descriptions)")
    def action_export_xlsx(self, request, queryset):
        return export.xlsx_response(queryset)

    action_export_xlsx.allowed_permissions = ("export",)

    @admin.action(description="Export selected to CSV (no descriptions)")
    def action_export_csv(self, request, queryset):
        return export.csv_response(queryset)

    action_export_csv.allowed_permissions = ("export",)

    def has_export_permission(self, request):
        return request.user.has_perm("consultations.export_consultationrequest")

"""Admin for the time-limits table: editors keep the rules' wording, an attorney approves it.

An edit of an approved rule waits in the rule's draft (articles/models/approval.py), which the change form shows
and intake reads marked "pending"; the row, which readers get (the /time-limits/ page, the articles, the
visitor's notices), keeps the approved rule until an attorney approves the change on the rule's approval
screen, which shows exactly what goes live and what changed.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from articles import limits, textdiff
from articles.admin.approval_screen import DraftFormMixin
from articles.approval import approver_for, editors_since_approval
from articles.models.time_limits import WHO_CHOICES, TimeLimitRule
from articles.time_limit_approval import approve_rule, article_changes, bundle_hash, quoting_articles


class TimeLimitRuleForm(forms.ModelForm):
    applies_what = forms.MultipleChoiceField(
        choices=limits.WHAT_CHOICES, widget=forms.CheckboxSelectMultiple, label="Applies to what happened"
    )
    applies_who = forms.MultipleChoiceField(
        choices=WHO_CHOICES, widget=forms.CheckboxSelectMultiple, label="Applies to who may be responsible"
    )

    class Meta:
        model = TimeLimitRule
        fields = [
            "key", "order", "kind", "applies_what", "applies_who", "minor", "death", "starts", "period_years",
            "period_months", "period_days", *(f"{part}_en" for part in TimeLimitRule.TEXT_FIELDS), "source_url",
            *(f"{part}_es" for part in TimeLimitRule.TEXT_FIELDS), "last_checked_by", "last_checked_on",
        ]  # fmt: skip
        widgets = {
            "statement_en": forms.Textarea(attrs={"rows": 3}),
            "statement_es": forms.Textarea(attrs={"rows": 3}),
            "action_en": forms.Textarea(attrs={"rows": 2}),
            "action_es": forms.Textarea(attrs={"rows": 2}),
            "notes_en": forms.Textarea(attrs={"rows": 4}),
            "notes_es": forms.Textarea(attrs={"rows": 4}),
        }


def described(snapshot: dict | None) -> list[tuple[str, str]]:
    """A rule's approved content as (label, text) lines, in the order the approval screen shows them."""
    if snapshot is None:
        return []
    years, months, days = snapshot["period"]
    lines = [
        ("Kind", dict(limits.KIND_CHOICES).get(snapshot["kind"], snapshot["kind"])),
        ("Starts from", dict(limits.STARTS_CHOICES).get(snapshot["starts"], snapshot["starts"])),
        ("Period (for dates)", f"{years} years, {months} months, {days} days"),
        ("Applies to what happened", ", ".join(snapshot["what"])),
        ("Applies to who", ", ".join(snapshot["who"])),
        ("Age", dict(limits.MINOR_CHOICES)[snapshot["minor"]]),
        ("Death", dict(limits.DEATH_CHOICES)[snapshot["death"]]),
    ]
    for language, label in ((limits.ENGLISH, "English"), (limits.SPANISH, "Spanish")):
        for part in TimeLimitRule.TEXT_FIELDS:
            lines.append((f"{label}: {part}", snapshot["text"][language][part]))
    lines.append(("Link to the source", snapshot["source_url"]))
    return lines


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(DraftFormMixin, TranslationAdmin, SimpleHistoryAdmin):
    waiting_message = (
        "Your change waits for an attorney's approval: readers see the approved rule until then."
    )

    form = TimeLimitRuleForm
    list_display = ["name_en", "key", "period_en", "source_en", "approval_state"]
    list_filter = ["kind", "starts"]
    search_fields = ["key", "name_en", "name_es", "source_en", "statement_en", "statement_es"]
    readonly_fields = ["approval_summary"]
    change_form_template = "admin/articles/timelimitrule/change_form.html"
    fieldsets = [
        (None, {"fields": ["approval_summary", "key", "order", "kind"]}),
        (
            "When it applies and the date it gives",
            {
                "fields": [
                    "applies_what", "applies_who", "minor", "death", "starts",
                    ("period_years", "period_months", "period_days"),
                ]
            },
        ),
        (
            "Wording (English)",
            {"fields": [*(f"{part}_en" for part in TimeLimitRule.TEXT_FIELDS), "source_url"]},
        ),
        (
            "Wording (Spanish)",
            {"fields": [f"{part}_es" for part in TimeLimitRule.TEXT_FIELDS]},
        ),
        ("Checked against the source", {"fields": ["last_checked_by", "last_checked_on"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).with_pending()

    @admin.display(description="attorney approval")
    def approval_state(self, obj):
        if obj.approved_version_id is None:
            return "Not approved yet (pending)"
        if obj.has_pending_draft:  # annotated by get_queryset: no query per row
            return "Change awaiting approval (pending)"
        return "Approved"

    @admin.display(description="attorney approval")
    def approval_summary(self, obj):
        if obj is None or obj.pk is None:
            return "New rules wait for an attorney's approval before readers see them."
        if obj.approved_at is None:
            return "Not approved yet: readers do not see this rule; intake sees it marked pending."
        when = timezone.localtime(obj.approved_at).strftime("%B %-d, %Y, %-I:%M %p %Z")
        who = obj.approved_by_name or "the upgrade (see the note)"
        state = (
            "This text is the approved one"
            if obj.is_approved
            else "Awaiting approval: changed since the approved text, which readers keep seeing"
        )
        note = f" Note: {obj.approval_note}" if obj.approval_note else ""
        return f"{state}. Approved by {who} on {when}.{note}"

    def get_urls(self):
        approve = self.admin_site.admin_view(self.approve_view)
        return [
            path("<path:object_id>/approve/", approve, name="articles_timelimitrule_approve"),
            *super().get_urls(),
        ]

    def approve_view(self, request, object_id):
        """The approval screen: the rule as it would go live, what changed since the approved text, and a
        form carrying the hash of what was shown. Only an attorney's own staff account may approve."""
        # The live (approved) row: DraftFormMixin.get_object() would return the draft applied. None for "abc"
        # or a missing id: a 404.
        rule = super(DraftFormMixin, self).get_object(request, unquote(object_id))
        if rule is None or not self.has_view_or_change_permission(request, rule):
            raise Http404("No such time limit.")
        person = approver_for(request.user)
        if person is None:
            raise PermissionDenied(
                "Only an attorney with a staff account linked to their profile can approve."
            )
        change_url = reverse("admin:articles_timelimitrule_change", args=[rule.pk])
        edited_it = request.user.pk in editors_since_approval(rule)
        if request.method == "POST":
            if edited_it and not settings.APPROVAL_ALLOW_SELF:
                raise PermissionDenied(
                    "You edited this rule yourself, so another attorney must approve it. (A firm with a single "
                    "attorney can allow self-approval with the APPROVAL_ALLOW_SELF setting.)"
                )
            try:
                covered = approve_rule(
                    rule=rule,
                    person=person,
                    user=request.user,
                    shown_hash=request.POST.get("shown_hash", ""),
                    note="Approved by an attorney who edited it (APPROVAL_ALLOW_SELF is on)."
                    if edited_it
                    else "",
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:articles_timelimitrule_approve", args=[rule.pk]))
            also = (
                f" The same approval covers the new wording in {len(covered)} article(s)." if covered else ""
            )
            self.message_user(
                request, f"Approved “{rule.name}”. Readers see this text now.{also}", messages.SUCCESS
            )
            return HttpResponseRedirect(change_url)
        before = dict(described(rule.snapshot() if rule.approved_version_id else None))
        proposed = rule.proposed()  # built once: the lines, the articles' new wording and the hash read it
        articles = list(quoting_articles(rule).order_by("language", "title"))
        lines = [
            {
                "label": label,
                "text": text,
                "diff": mark_safe(textdiff.text_diff(before.get(label, ""), text)),  # noqa: S308 (escaped words)
                "changed": before.get(label) != text,
            }
            for label, text in described(proposed.snapshot())
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Approve “{rule.name}”",
            "opts": self.model._meta,
            "rule": rule,
            "lines": lines,
            "first_approval": rule.approved_version_id is None,
            "shown_hash": bundle_hash(proposed, articles),
            "articles": article_changes(rule, proposed, articles),
            "own_edit": edited_it,
            "self_allowed": edited_it and settings.APPROVAL_ALLOW_SELF,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/articles/timelimitrule/approve.html", context)

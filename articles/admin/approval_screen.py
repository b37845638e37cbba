"""The approval screen: the only way to approve anything that goes live (there is no bulk approval).

One screen for every kind of approved content (articles/models/approval.py). GET shows what would go live,
as readers will get it (an article's body rendered, not Markdown), and, for a change to something already
approved, the words added and removed since the approved version; its form carries the hash of exactly
those values. POST approves only if they are still the ones shown (articles/approval.py checks under a
row lock).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from articles import textdiff
from articles.approval import StaleApproval, approve, approver_for, editors_since_approval
from articles.emails import queue_approval_request


def changes(live, proposed) -> list[dict]:
    """Each part that differs from the approved version, with its words added and removed."""
    before = {label: (value, is_html) for label, value, is_html in live.approval_parts()}
    parts = []
    for label, value, is_html in proposed.approval_parts():
        old = before.get(label, ("", is_html))[0]
        diff = textdiff.word_diff(old, value) if is_html else textdiff.text_diff(old, value)
        if textdiff.has_words(diff) and old != value:
            parts.append({"label": label, "diff": diff})
    return parts


def what_waits(obj) -> str:
    if obj.approved_version_id:
        return "A change to public text. Readers see the approved version until this is approved."
    return "New text, not public yet: it appears once it is approved."


class ApprovalScreenMixin:
    """For a ModelAdmin of an ApprovedContent model: the view at <id>/approve/ and, with DraftAdminMixin, a
    change form that shows and saves into the waiting change."""

    def approval_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        screen = self.admin_site.admin_view(self.approval_screen)
        return [path("<path:object_id>/approve/", screen, name=f"{name}_approve")]

    def approval_screen(self, request, object_id):
        # ModelAdmin's get_object, not DraftFormMixin's: that one builds the waiting change for the change form,
        # and this screen builds it once, below. None for "abc" or a missing id: a 404.
        obj = admin.ModelAdmin.get_object(self, request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("Nothing to approve here.")
        obj = self.model._default_manager.get(pk=obj.pk)  # every field (the admin's list query defers some)
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        person = approver_for(request.user)
        if request.method == "POST":
            if person is None:
                raise PermissionDenied
            try:
                approve(obj=obj, user=request.user, shown_hash=request.POST.get("content_hash", ""))
            except StaleApproval as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(f"{name}_approve", obj.pk)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"Not approved: {text}", messages.ERROR)
                return redirect(f"{name}_approve", obj.pk)
            self.message_user(
                request,
                format_html("Approved “{}”. Readers see it now where it is public.", obj),
                messages.SUCCESS,
            )
            return redirect(f"{name}_change", obj.pk)
        proposed = obj.proposed()
        own_edit = person is not None and request.user.pk in editors_since_approval(obj)
        approval = obj.approved_version if obj.approved_version_id else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "proposed": proposed,
            "approval": approval,
            "title": f"Approve: {proposed}",
            "what_waits": self.what_waits(obj),
            "is_approved": obj.is_approved,
            "changes": changes(obj, proposed) if approval and not obj.is_approved else [],
            "parts": proposed.approval_parts(),
            "shown_hash": proposed.proposed_hash(),
            "can_approve": person is not None,
            "own_edit": own_edit,
            "self_allowed": own_edit and settings.APPROVAL_ALLOW_SELF,
            "show_hash": "hash" in request.GET,
            "extra_changes": self.extra_approval_context(request, obj, proposed),
        }
        return TemplateResponse(request, "admin/approve.html", context)

    def what_waits(self, obj) -> str:
        """What is waiting, in plain words (an admin may say more)."""
        return what_waits(obj)

    def extra_approval_context(self, request, obj, proposed):
        """More the attorney must see (a time limit shows the articles that quote it)."""
        return None


class DraftFormMixin:
    """The change form of approved content shows (and saves into) the change waiting for approval, if there
    is one; a save of an approved object says that readers keep the approved version until an attorney
    approves. Shared by every admin of approved content (articles, time limits, people, practice areas)."""

    waiting_message = (
        "Your change waits for an attorney's approval: readers see the approved version until then."
    )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and obj.approved_version_id and obj.pending_draft is not None:
            proposed = obj.proposed()
            proposed.approved_version = obj.approved_version
            return proposed
        return obj

    def save_model(self, request, obj, form, change):
        obj._saved_by = request.user
        super().save_model(request, obj, form, change)
        queue_approval_request(obj)  # in the save's transaction: the attorneys are told of what now waits
        obj.__dict__.pop("pending_draft", None)
        if change and obj.approved_version_id and obj.pending_draft is not None:
            self.draft_saved(request, obj)
            self.message_user(request, self.waiting_message, messages.INFO)
            obj._change_waits = True  # read by response_change

    def response_change(self, request, obj):
        if not getattr(obj, "_change_waits", False):
            return super().response_change(request, obj)
        # Django's own "… was changed successfully." (simple_history's too, restoring a revision) would say the
        # change is live: the waiting message above, which is accurate, is the only one about the save.
        request._muted_messages = True
        try:
            return super().response_change(request, obj)
        finally:
            del request._muted_messages

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Muted: only "it was changed" (Django says it as a success, django-simple-history as info). A warning
        # or an error raised while answering the save still reaches the editor.
        if getattr(request, "_muted_messages", False) and level in (messages.SUCCESS, messages.INFO):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def draft_saved(self, request, obj) -> None:
        """Called after a save went into the draft, before the message (an admin may prepare more)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_approve": approver_for(request.user) is not None}
        return super().change_view(request, object_id, form_url, extra_context)


class DraftAdminMixin(DraftFormMixin, ApprovalScreenMixin):
    """Editors' saves of approved content go to its draft; the change form shows the draft; the list says
    whether a change waits. Nobody publishes by saving."""

    change_form_template = "admin/approvable_change_form.html"

    def get_urls(self):
        return [*self.approval_urls(), *super().get_urls()]

    def get_queryset(self, request):
        return super().get_queryset(request).with_pending()

    @admin.display(description="approval")
    def approval(self, obj):
        if obj.approved_version_id is None:
            return "Not approved yet"
        if getattr(obj, "has_pending_draft", False):
            return format_html(
                '<span class="article-state article-state--scheduled">{}</span>', "Change awaiting approval"
            )
        return "Approved"

"""Who may take a request, named as people read names, and "Assign to me" in one click.

A request may go to anyone active on the staff who holds the intake permission (TAKE_PERMISSION, through a
group such as "Intake", given to them directly, or as a superuser): an attorney appears once they are given it.
Assigning grants nothing: the list is made from who already holds it.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

TAKE_PERMISSION = ("consultations", "change_consultationrequest")


def person_name(user) -> str:
    """A staff member as colleagues know them: their full name, the username only when none is given."""
    if user is None:
        return "-"
    return user.get_full_name().strip() or user.get_username()


def can_take(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(".".join(TAKE_PERMISSION))


def takers(*, keep=None):
    """Everyone who may take a request, by name; `keep` (the current assignee) stays in the list even if they
    have lost the permission since, so saving the page does not fail on them."""
    app_label, codename = TAKE_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holds = Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    wanted = Q(is_active=True, is_staff=True) & holds
    if keep is not None:
        wanted |= Q(pk=keep.pk)
    people = get_user_model().objects.filter(pk__in=get_user_model().objects.filter(wanted).values("pk"))
    return people.order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


def assignee_field(*, current, required=False) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=takers(keep=current),
        required=required,
        label="Assignee",
        help_text="Everyone who may work on consultation requests. Assigning someone does not give them access.",
    )


def assign_to_me_view(model_admin, request, object_id):
    """POST only: the signed-in person takes the request. Back to where the button was (the list, with its
    filters, or the request page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    consultation = get_object_or_404(model_admin.get_queryset(request), pk=unquote(object_id))
    if not (model_admin.has_change_permission(request, consultation) and can_take(request.user)):
        raise PermissionDenied
    opts = model_admin.opts
    if consultation.assignee_id != request.user.pk:
        # Only the assignee column: save() would recompute the stored flags and closing fields as a side
        # effect. Requests keep no revision history; the admin log entry below is the record of who took it.
        type(consultation).objects.filter(pk=consultation.pk).update(assignee=request.user)
        consultation.assignee = request.user
        model_admin.log_change(request, consultation, [{"changed": {"fields": ["Assignee"]}}])
        model_admin.message_user(request, f"{consultation.number} is assigned to you.", messages.SUCCESS)
    preserved = {"preserved_filters": model_admin.get_preserved_filters(request), "opts": opts}
    if request.GET.get("back") == "list":
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        # add_preserved_filters turns the list's own query (_changelist_filters) back into its filters.
        return HttpResponseRedirect(add_preserved_filters(preserved, url, popup=False))
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[consultation.pk])
    return HttpResponseRedirect(add_preserved_filters(preserved, url))

"""The two questions every deadline answer starts from, as form fields: what happened, and who may be
responsible. /time-limits/ (articles/time_limits_page.py) and the consultation form (consultations/forms.py)
ask them with the same words and the time-limits table's own choices (articles/limits.py), so an answer in
one means the same in the other.

An answer that is not one of the choices (an edited address or form) gets the same words as a missing one:
Django's own message ("Select a valid choice. … is not one of the available choices.") repeated what was sent.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles import limits


def _choice(label, choices, message, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(("required", "invalid_choice"), message),
        **kwargs,
    )


def what_happened() -> forms.ChoiceField:
    return _choice(_("What happened?"), limits.WHAT_CHOICES, _("Please choose what happened."))


def who_may_be_responsible(**kwargs) -> forms.ChoiceField:
    """`kwargs`: what else the field takes (the consultation form adds a help text)."""
    message = _("Please choose who may be responsible, or “I am not sure”.")
    return _choice(_("Who may be responsible?"), limits.WHO_CHOICES, message, **kwargs)

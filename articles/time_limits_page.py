""" "How long do I have?" — /time-limits/ and /es/plazos/, answered from the time-limits table.

A plain GET form (no JavaScript, so an answer can be bookmarked or shared): what happened, who may be
responsible, the date, and whether the injured person is a child or has died. The answer lists every approved
rule that may apply, earliest date first (articles/limits.py). Answers are personal: they are sent
`no-store`, never enter the page cache, and the query string stays out of the logs (gunicorn logs the path
only; deploy/nginx/lawsite.conf logs no query strings).
"""

import copy
import datetime
from datetime import date

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from articles import limits
from articles.addresses import page_address
from articles.i18n import current_language
from articles.limit_questions import what_happened, who_may_be_responsible
from articles.models.time_limits import answer_rules


class DateInput(forms.DateInput):
    """type="date" that never echoes a value a browser cannot hold ("2026-13-40" is not a date: the field is
    shown empty with its error, so the page stays valid HTML)."""

    input_type = "date"

    def format_value(self, value):
        value = super().format_value(value)
        try:
            date.fromisoformat(value or "")
        except ValueError:
            return None
        return value


class TimeLimitsForm(forms.Form):
    what = what_happened()
    who = who_may_be_responsible()
    date = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_("Leave it empty if you do not know: you will see the periods without dates."),
        widget=DateInput(attrs={"autocomplete": "off"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date like 2026-03-14.")},
    )
    minor = forms.BooleanField(label=_("The injured person is under 18"), required=False)
    died = forms.BooleanField(label=_("The injured person has died"), required=False)

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):  # (`date` here is the field)
        kwargs.setdefault("label_suffix", "")
        self.base_fields = {}  # Django deep-copies these into self.fields: nothing to copy
        super().__init__(*args, **kwargs)
        # One day for the whole answer (the view passes its own): the date field's upper limit, the check
        # that the date is not in the future and the dates of the answer agree, even across midnight.
        self.today = today or timezone.localdate()
        # The fields made for this language and day, shared by every form (see fields_in): nothing changes
        # a field after it is made, so each form's own deep copy of five fields was 60 of the 100 us a form
        # took to build and check (timeit, December 2026). The dict is the form's own (a form may drop one).
        self.fields = dict(fields_in(current_language(), self.today))

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and value > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if value and value.year < 1900:
            raise forms.ValidationError(_("Please check the year."), code="past")
        return value


# TimeLimitsForm's fields with their labels, help text and options in one language, and today's date as the
# date field's upper limit, made once per process, language and day, and shared by the forms (never changed
# after they are made). Declared with lazy texts, each was looked up through Django's translation machinery
# every time the page printed it (about 30 lookups an answer): the five fields rendered in 271 us, against
# 200 us with the texts already in the language (in-process, December 2026). Error messages stay lazy: they
# print only when a visitor makes a mistake. Translations do not change while a process runs (a new .mo
# means a restart); the day does, and the fields are made again for the new one.
_FIELDS_IN: dict[str, tuple[date, dict]] = {}


def fields_in(language: str, today: date) -> dict:
    made = _FIELDS_IN.get(language)
    if made is None or made[0] != today:
        fields = copy.deepcopy(TimeLimitsForm.declared_fields)
        for field in fields.values():
            if field.label is not None:  # None: Django names the field after itself
                field.label = str(field.label)
            field.help_text = str(field.help_text)
            if isinstance(field, forms.ChoiceField):
                field.choices = [(value, str(label)) for value, label in field.choices]
        fields["date"].widget.attrs["max"] = today.isoformat()
        for name in ("minor", "died"):  # the flags arrive as minor=1 / died=1
            fields[name].widget.attrs["value"] = "1"
        made = _FIELDS_IN[language] = (today, fields)
    return made[1]


def answer(form: TimeLimitsForm, rules, today: date) -> dict:
    data = form.cleaned_data
    found = limits.estimates(
        rules,
        what=data["what"],
        who=data["who"],
        incident=data["date"],
        today=today,
        minor=data["minor"],
        died=data["died"],
    )
    deadlines = [e for e in found if e.rule.kind == limits.DEADLINE]
    others = [e for e in found if e.rule.kind != limits.DEADLINE]
    return {
        "incident": data["date"],
        "deadlines": deadlines,
        "others": others,
        "earliest": limits.next_due(found),
        "passed": [e for e in deadlines if e.has_passed],
    }


def time_limits_view(request):
    today = timezone.localdate()
    form = TimeLimitsForm(request.GET if request.GET else None, today=today)
    language = current_language()
    context = {"form": form, "language": language, "today": today}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rules = answer_rules(
            language, what=data["what"], who=data["who"], minor=data["minor"], died=data["died"]
        )
        context["answer"] = answer(form, rules, context["today"])
        context["answer_id"] = "answer"
    context["consultation_url"] = page_address("consultations:create")  # a remembered reverse: ~8 us less
    response = render(request, "articles/time_limits.html", context, status=200)
    # Personal answers and the bare form alike: never stored by the page cache, a proxy or the browser
    # (Django's never-cache headers include no-store).
    add_never_cache_headers(response)
    return response

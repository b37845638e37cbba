"""Time limits have one source: nothing states a deadline's period that the time-limits table does not hold.

Every period written in the code, the templates, the form's help texts and the interface text (English and
Spanish) about deadlines must be one of the table's periods; the few durations that are not deadlines (how
often a reminder goes out, how old a legal review may get) are listed below with the reason. A new sentence
such as "you have 60 days to …" fails here until the period is a rule of the table, quoted from it.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from articles.migrations._time_limit_rules import seed_rules
from articles.models import TimeLimitRule
from consultations.forms import ConsultationRequestForm

ROOT = Path(__file__).resolve().parent.parent
WORDS = {"one": 1, "two": 2, "three": 3, "six": 6, "seven": 7, "thirty": 30, "sixty": 60, "ninety": 90,
         "forty-five": 45, "un": 1, "una": 1, "dos": 2, "tres": 3, "seis": 6, "treinta": 30, "noventa": 90}  # fmt: skip
UNITS = {"day": "days", "days": "days", "día": "days", "días": "days", "month": "months", "months": "months",
         "mes": "months", "meses": "months", "year": "years", "years": "years", "año": "years", "años": "years",
         "hour": "hours", "hours": "hours", "hora": "hours", "horas": "hours"}  # fmt: skip
NUMBER = r"(\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
PERIOD = re.compile(NUMBER + r"[ -](?!business\b)(" + "|".join(UNITS) + r")\b", re.IGNORECASE)
CONSTANT = re.compile(r"\b([A-Z_]*(?:DAYS|AFTER))\s*=\s*(?:timedelta\(days=)?(\d+)")

# Durations that are not deadlines anyone must meet, with where they are and why.
NOT_DEADLINES = {
    ("consultations/site_jobs.py", (11, "months")): "a live article's legal review is due after 11 months",
    ("consultations/site_jobs.py", (7, "days")): "the review reminder is repeated weekly",
    ("consultations/site_jobs.py", (90, "days")): "the advertising archive's capture interval",
    ("consultations/deadlines.py", (23, "days")): "an example of the wording in a docstring",
    ("templates/jinja2/pages/privacy.html", (1, "years")): "how long a declined request's details are kept",
    ("consultations/admin/requests.py", (2, "days")): "an example of how a request's age is shown",
    ("consultations/admin/requests.py", (5, "hours")): "an example of how a request's age is shown",
}

FILES = [
    *sorted((ROOT / "consultations").rglob("*.py")),
    ROOT / "articles" / "limits.py",
    ROOT / "articles" / "time_limits_page.py",
    *sorted((ROOT / "templates" / "consultations").rglob("*.*")),
    *sorted((ROOT / "templates" / "jinja2" / "consultations").rglob("*.*")),
    *sorted((ROOT / "templates" / "jinja2" / "pages").glob("*.html")),
    *sorted((ROOT / "templates" / "jinja2" / "articles").glob("time_limit*.html")),
]


def table_periods() -> set[tuple[int, str]]:
    seed_rules(django_apps)
    held = set()
    for years, months, days, period in TimeLimitRule.objects.values_list(
        "period_years", "period_months", "period_days", "period"
    ):
        held |= {(years, "years"), (months, "months"), (abs(days), "days")}
        held |= {
            (int(n), UNITS[unit.lower()])
            for n, unit in re.findall(r"(\d+) (\w+)", period)
            if unit.lower() in UNITS
        }
    return {pair for pair in held if pair[0]}


def periods_in(text: str) -> set[tuple[int, str]]:
    found = set()
    for number, unit in PERIOD.findall(text):
        value = WORDS.get(number.lower()) or int(number)
        found.add((value, UNITS[unit.lower()]))
    return found


def stated(path: Path) -> set[tuple[int, str]]:
    text = path.read_text()
    found = periods_in(text)
    found |= {(int(value), "days") for _, value in CONSTANT.findall(text)}
    return found


@pytest.mark.django_db
def test_no_module_template_or_constant_states_a_period_the_table_does_not_hold():
    held = table_periods()
    assert {(90, "days"), (1, "years"), (30, "days"), (2, "years"), (3, "years"), (24, "hours")} <= held
    wrong = []
    for path in FILES:
        if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
            continue
        relative = str(path.relative_to(ROOT))
        for period in stated(path) - held:
            if (relative, period) not in NOT_DEADLINES:
                wrong.append((relative, period))
    assert wrong == []


@pytest.mark.django_db
def test_the_forms_help_texts_state_no_period_of_their_own():
    held = table_periods()
    form = ConsultationRequestForm()
    texts = [str(field.help_text) for field in form.fields.values()] + [
        str(f.label) for f in form.fields.values()
    ]
    assert not [text for text in texts if periods_in(text) - held]
    # And the form no longer restates the notice of claim's period by hand at all.
    assert not [text for text in texts if periods_in(text)]


@pytest.mark.django_db
def test_the_spanish_interface_text_states_no_period_the_table_does_not_hold():
    held = table_periods()
    catalogue = (ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text()
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', catalogue, re.MULTILINE)
    wrong = {period for text in translations for period in periods_in(text)} - held
    wrong -= {(1, "years")}  # "un año": how long a declined request's details are kept (privacy page)
    wrong -= {(18, "years")}  # "menor de 18 años": an age, not a period
    assert wrong == set()


def test_the_check_catches_a_period_written_by_hand():
    assert periods_in("serve it within 60 days, or ninety days, or noventa días") == {
        (60, "days"),
        (90, "days"),
    }
    assert periods_in("within one business day") == set()
    assert (45, "days") in stated_text("REMINDER_AFTER = timedelta(days=45)")


def stated_text(text: str) -> set:
    return {(int(value), "days") for _, value in CONSTANT.findall(text)}

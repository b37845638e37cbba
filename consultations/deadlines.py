"""Deadline estimates for intake: the New York time limits that may apply to a request, from what the visitor told us.

Every rule and its source is in RULES, the one table. The same table drives the Python estimates (shown on the
request list, the request page, the firm's email and the morning digest) and the SQL that sorts the request list
(`next_deadline_expression`), and a test checks that the two agree.

These are estimates for a lawyer to confirm, never advice: tolling, discovery rules, infancy, continuous treatment
and late-notice applications can all move a date, and only a lawyer who has read the file can say which applies.

Calendar arithmetic (New York General Construction Law § 30): a period of months or years ends on the same day of
the month; when that month is shorter (e.g. one year after February 29), it ends on the last day of that month
(February 28). PostgreSQL's `date + interval` does the same, so the list's sort order and the wording agree.
Days are added after months and years ("1 year and 90 days" = one year, then 90 days). The day of the incident is
not counted (§ 20). We do NOT move a date that falls on a weekend or holiday to the next business day (§ 25-a):
the estimate is the earlier date, on purpose.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, DateField, F, Func, Q, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import GreaterThanOrEqual

# Practice-area slugs (articles.PracticeArea) the rules know. Any other area, or none ("Something else, or not
# sure"), counts as unknown: every limitation rule may apply and we show the earliest.
MEDICAL_MALPRACTICE = "medical-malpractice"
PERSONAL_INJURY = "personal-injury"
PUBLIC_BODIES = "claims-against-public-bodies"
KNOWN_AREAS = frozenset({MEDICAL_MALPRACTICE, PERSONAL_INJURY, PUBLIC_BODIES})
UNKNOWN = None  # in AppliesWhen.areas: "an area the rules don't know, or none"

# The visitor's answer to "Was a public hospital or city agency involved?" (ConsultationRequest.PublicEntity).
MAY_BE_PUBLIC = frozenset({"yes", "unsure"})

# A deadline this close (days) makes a request "deadline-critical": first on the list, red.
CRITICAL_DAYS = 30
# Within this many days: "soon", amber.
SOON_DAYS = 90

LABEL = "est."
CONFIRM = "estimate for a lawyer to confirm"


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """`start` plus this period, as General Construction Law § 30 counts it (see the module docstring)."""
        months = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=self.days)

    def __str__(self):
        parts = []
        if self.years or self.months:
            years = self.years + self.months / 12
            parts.append(f"{years:g} year{'s' if years != 1 else ''}".replace("2.5", "2½"))
        if self.days:
            parts.append(f"{self.days} days")
        return " ".join(parts)


@dataclass(frozen=True)
class AppliesWhen:
    """A rule applies when the visitor said a public body may be involved (if `public_body`), or chose one of
    `areas` (UNKNOWN = no area, or one the rules don't know)."""

    public_body: bool = False
    areas: frozenset = frozenset()

    def matches(self, *, public_entity: str, area_slug: str | None) -> bool:
        area = area_slug if area_slug in KNOWN_AREAS else UNKNOWN
        return (self.public_body and public_entity in MAY_BE_PUBLIC) or area in self.areas

    def q(self) -> Q:
        """The same test as a filter on ConsultationRequest."""
        condition = Q(pk__in=[])  # matches nothing
        if self.public_body:
            condition |= Q(public_entity__in=MAY_BE_PUBLIC)
        known = self.areas - {UNKNOWN}
        if known:
            condition |= Q(practice_area__slug__in=sorted(known))
        if UNKNOWN in self.areas:
            condition |= Q(practice_area__isnull=True) | ~Q(practice_area__slug__in=sorted(KNOWN_AREAS))
        return condition


@dataclass(frozen=True)
class Rule:
    key: str
    name: str  # what staff read, e.g. "Notice of claim"
    applies_when: AppliesWhen
    period: Period
    source: str


RULES = (
    Rule(
        "notice_of_claim",
        "Notice of claim",
        AppliesWhen(public_body=True, areas=frozenset({PUBLIC_BODIES})),
        Period(days=90),
        "General Municipal Law § 50-e (90 days to serve a notice of claim on a public body)",
    ),
    Rule(
        "sue_public_body",
        "Lawsuit against a public body",
        AppliesWhen(public_body=True, areas=frozenset({PUBLIC_BODIES})),
        Period(years=1, days=90),
        "General Municipal Law § 50-i (1 year 90 days to sue a city, county, town or village)",
    ),
    Rule(
        "medical_malpractice",
        "Medical malpractice limit",
        AppliesWhen(areas=frozenset({MEDICAL_MALPRACTICE, UNKNOWN})),
        Period(years=2, months=6),
        "CPLR 214-a (2½ years for medical malpractice)",
    ),
    Rule(
        "negligence",
        "Negligence limit",
        AppliesWhen(areas=frozenset({PERSONAL_INJURY, PUBLIC_BODIES, UNKNOWN})),
        Period(years=3),
        "CPLR 214(5) (3 years for personal injury caused by negligence)",
    ),
)


@dataclass(frozen=True)
class Estimate:
    rule: Rule
    due: date
    days_left: int  # negative once the date has passed

    @property
    def has_passed(self) -> bool:
        return self.days_left < 0

    def wording(self) -> str:
        """E.g. "Notice of claim: 23 days left (est.)"."""
        if self.days_left < 0:
            ago = -self.days_left
            return f"{self.rule.name}: date passed {ago} day{'s' if ago != 1 else ''} ago ({LABEL})"
        if self.days_left == 0:
            return f"{self.rule.name}: due today ({LABEL})"
        return f"{self.rule.name}: {self.days_left} day{'s' if self.days_left != 1 else ''} left ({LABEL})"

    def long_wording(self) -> str:
        """For the request page and the emails: the date, how far away, and the source."""
        return (
            f"{self.wording()}: {self.due:%b} {self.due.day}, {self.due.year}, "
            f"{self.rule.period} after the incident. Source: {self.rule.source}."
        )


def applicable_rules(*, public_entity: str, area_slug: str | None) -> list[Rule]:
    return [
        rule for rule in RULES if rule.applies_when.matches(public_entity=public_entity, area_slug=area_slug)
    ]


def estimates(
    *, incident_date: date | None, public_entity: str, area_slug: str | None, today: date
) -> list[Estimate]:
    """Every deadline that may apply, earliest first; empty when the incident date is unknown."""
    if incident_date is None:
        return []
    found = []
    for rule in applicable_rules(public_entity=public_entity, area_slug=area_slug):
        due = rule.period.after(incident_date)
        found.append(Estimate(rule, due, (due - today).days))
    return sorted(found, key=lambda estimate: (estimate.due, estimate.rule.key))


def next_deadline(found: list[Estimate]) -> Estimate | None:
    """The earliest deadline that has not passed yet."""
    return next((estimate for estimate in found if not estimate.has_passed), None)


class PlusPeriod(Func):
    """SQL: a date column plus a Period, as a date (PostgreSQL clamps to the month's last day, like § 30)."""

    output_field = DateField()

    def __init__(self, expression, period: Period):
        super().__init__(expression)
        self.period = period

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        period = self.period
        interval = f"make_interval(years => {int(period.years)}, months => {int(period.months)}, days => {int(period.days)})"
        return f"CAST(({sql}) + {interval} AS date)", params


def next_deadline_expression(today: date):
    """SQL for `next_deadline(estimates(...)).due` on ConsultationRequest: NULL when the date is unknown, no
    rule applies or every date has passed. PostgreSQL's LEAST ignores NULLs."""
    cases = []
    for rule in RULES:
        due = PlusPeriod(F("incident_date"), rule.period)
        cases.append(
            Case(
                When(
                    rule.applies_when.q() & Q(GreaterThanOrEqual(due, Value(today))),
                    then=due,
                ),
                default=None,
                output_field=DateField(),
            )
        )
    return Least(*cases)

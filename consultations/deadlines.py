"""Deadline estimates for intake, from the time-limits table (articles/models/time_limits.py).

The rules, their periods and sources live in that one table; this module only applies them to a request: what
happened (`what`), who may be responsible (`who`) and the incident date, as the visitor answered them. Intake
works from the public text of each rule and, for a rule an attorney has not signed off yet, from its new text
marked "pending" (`intake_rules()`).

The same rules give the Python estimates (the words on the request list and page, in the firm's email and the
digest) and the SQL that sorts the request list (`next_deadline_expression`, `next_rule_expression`): both
count with articles/limits.py's calendar, which PostgreSQL's `date + interval` follows, and a test checks that
they agree. These are estimates for a lawyer to confirm, never advice: tolling, discovery rules, infancy,
continuous treatment and late-notice applications can all move a date.
"""

from datetime import date

from django.db.models import Case, CharField, DateField, F, Func, Q, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import Exact, GreaterThanOrEqual

from articles import limits
from articles.limits import Estimate, Rule
from articles.models.time_limits import intake_rules, public_rules

__all__ = ["intake_rules", "public_rules"]

# How close an estimated deadline makes a request "deadline-critical" (first on the list, red) or "soon"
# (amber). Intake's thresholds, not legal periods.
CRITICAL_DAYS = 30
SOON_DAYS = 90

LABEL = "est."
CONFIRM = "estimate for a lawyer to confirm"
PENDING = "rule not yet signed off by an attorney"


def dated(rules: list[Rule]) -> list[Rule]:
    """The rules intake can put a date on: deadlines that run from the incident. A rule only for a child or
    a death is left out, since the form does not ask either."""
    return [
        rule
        for rule in rules
        if rule.is_dated and rule.minor == limits.ANYONE and rule.death == limits.ANYONE
    ]


def estimates(
    rules: list[Rule], *, what: str, who: str, incident_date: date | None, today: date
) -> list[Estimate]:
    """Every deadline that may apply to the request, earliest first; without an incident date, none."""
    if incident_date is None:
        return []
    return limits.estimates(dated(rules), what=what or None, who=who, incident=incident_date, today=today)


def shortest_applying(rules: list[Rule], *, what: str, who: str, today: date) -> Rule | None:
    """The dated rule that may apply with the shortest period (on a tie, the first in the table's order):
    what intake asks about first when the incident date is unknown. None when no dated rule applies."""
    candidates = [rule for rule in dated(rules) if rule.applies(what=what or None, who=who)]
    if not candidates:
        return None
    return min(candidates, key=lambda rule: (rule.period.after(today), rule.order))


def wording(estimate: Estimate) -> str:
    """E.g. "Notice of claim: 23 days left (est.)"."""
    name = estimate.rule.words("name")
    days = estimate.days_left
    pending = "" if estimate.rule.is_public else f" [{PENDING}]"
    if days < 0:
        return f"{name}: date passed {-days} day{'s' if days != -1 else ''} ago ({LABEL}){pending}"
    if days == 0:
        return f"{name}: due today ({LABEL}){pending}"
    return f"{name}: {days} day{'s' if days != 1 else ''} left ({LABEL}){pending}"


def long_wording(estimate: Estimate) -> str:
    """For the request page and the emails: the date, how far away, what must be done and the source."""
    rule = estimate.rule
    return (
        f"{wording(estimate)}: {estimate.due:%b} {estimate.due.day}, {estimate.due.year}, "
        f"{rule.words('period')} {rule.words('trigger')}: {rule.words('action')}. Source: {rule.words('source')}."
    )


class PlusPeriod(Func):
    """SQL: a date column plus a Period, as a date (PostgreSQL clamps to the month's last day, like § 30)."""

    output_field = DateField()

    def __init__(self, expression, period: limits.Period):
        super().__init__(expression)
        self.period = period

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql}) + {self.period.sql_interval()} AS date)", params


def applies_q(rule: Rule) -> Q:
    """Rule.applies() as a filter on ConsultationRequest: `what` not given, or one the rule names; `who` not
    sure, or one the rule names."""
    return (Q(what="") | Q(what__in=sorted(rule.what))) & (Q(who=limits.UNSURE) | Q(who__in=sorted(rule.who)))


def next_deadline_expression(rules: list[Rule], today: date):
    """SQL for the earliest estimated deadline of a request that has not passed: NULL when the date is
    unknown, no rule applies or every date has passed. PostgreSQL's LEAST ignores NULLs."""
    cases = []
    for rule in dated(rules):
        due = PlusPeriod(F("incident_date"), rule.period)
        applies = applies_q(rule) & Q(GreaterThanOrEqual(due, Value(today)))
        cases.append(Case(When(applies, then=due), default=None, output_field=DateField()))
    return Least(*cases) if len(cases) > 1 else (cases[0] if cases else Value(None, output_field=DateField()))


def next_rule_expression(rules: list[Rule]):
    """SQL for the key of the rule whose date is `next_deadline` (annotate that first); on a tie, the first
    in the table's order, as limits.estimates() sorts them."""
    whens = [
        When(
            applies_q(rule) & Q(Exact(PlusPeriod(F("incident_date"), rule.period), F("next_deadline"))),
            then=Value(rule.key),
        )
        for rule in sorted(dated(rules), key=lambda rule: (rule.order, rule.key))
    ]
    if not whens:
        return Value(None, output_field=CharField())
    return Case(*whens, default=None, output_field=CharField())

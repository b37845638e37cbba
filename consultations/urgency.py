"""How urgent a request is: what intake sees first on the request list and in the morning digest.

One definition. TIERS below says what puts a request in each rank; `rank_expression()` turns it into the
SQL that sorts and pages the request list (ConsultationRequestQuerySet.with_urgency), and the words intake
reads are made from the same annotated values (`assess`): the rank, the nearest estimated deadline and its
rule, and whether the request is overdue. Python never ranks a request itself.

Ranks: 0 deadline-critical (an estimated deadline within deadlines.CRITICAL_DAYS), 1 overdue (new, no contact
for more than one business day), 2 other new requests, 3 in progress, 4 closed.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, ExpressionWrapper, PositiveSmallIntegerField, Q, Value, When
from django.utils import timezone

from consultations import deadlines
from consultations.business_days import business_days_between, one_business_day_before

RANK_CRITICAL, RANK_OVERDUE, RANK_NEW, RANK_OPEN, RANK_CLOSED = range(5)


@dataclass(frozen=True)
class Tier:
    rank: int
    heading: str  # the digest's section title
    # A function of the model (ConsultationRequest, whose statuses it names) and today's date giving a Q on
    # the annotated queryset; None for the last tier: the rest.
    condition: object = None


# In this order: the first tier whose condition holds is the request's rank; the last one takes the rest.
TIERS = (
    Tier(RANK_CLOSED, "Closed", lambda model, today: Q(status__in=model.CLOSED_STATUSES)),
    Tier(
        RANK_CRITICAL,
        f"Deadline-critical (an estimated deadline within {deadlines.CRITICAL_DAYS} days)",
        lambda model, today: Q(next_deadline__lte=today + timedelta(days=deadlines.CRITICAL_DAYS)),
    ),
    Tier(
        RANK_OVERDUE,
        "Overdue (new, no contact for more than one business day)",
        lambda model, today: Q(is_overdue=True),
    ),
    Tier(RANK_NEW, "New", lambda model, today: Q(status=model.Status.NEW)),
    Tier(RANK_OPEN, "In progress"),
)
SECTIONS = {tier.rank: tier.heading for tier in TIERS}

# CSS modifier (static/css/admin-intake.css) and how serious each level is; the worst one colors the cell.
LEVELS = ("critical", "overdue", "passed", "soon", "ask", "calm", "closed")
ANNOTATIONS = ("next_deadline", "next_rule", "is_overdue", "urgency_rank")


def overdue_expression(model, now: datetime):
    return ExpressionWrapper(
        Q(status=model.Status.NEW, received_at__lt=one_business_day_before(now)), output_field=BooleanField()
    )


def rank_expression(model, today):
    *ranked, rest = TIERS
    assert rest.condition is None, "the last tier takes the rest: it has no condition"  # noqa: S101
    whens = [When(tier.condition(model, today), then=Value(tier.rank)) for tier in ranked]
    return Case(*whens, default=Value(rest.rank), output_field=PositiveSmallIntegerField())


def annotate(queryset, *, now: datetime, rules):
    """The request list's urgency, in SQL: see the module docstring."""
    today = timezone.localdate(now)
    model = queryset.model
    return (
        queryset.annotate(next_deadline=deadlines.next_deadline_expression(rules, today))
        .annotate(next_rule=deadlines.next_rule_expression(rules), is_overdue=overdue_expression(model, now))
        .annotate(urgency_rank=rank_expression(model, today))
    )


@dataclass
class Urgency:
    level: str
    rank: int
    lines: list[str] = field(default_factory=list)
    estimates: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "; ".join(self.lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def assess(consultation, *, now: datetime | None = None, rules=None) -> Urgency:
    """The urgency of one request, in words, from its annotated values (a request from a list made with
    with_urgency(); otherwise they are read with one query). `rules` defaults to deadlines.intake_rules()."""
    now = now or timezone.now()
    rules = deadlines.intake_rules() if rules is None else rules
    if all(hasattr(consultation, name) for name in ANNOTATIONS):
        values = {name: getattr(consultation, name) for name in ANNOTATIONS}
    else:
        values = (
            type(consultation)
            .objects.filter(pk=consultation.pk)
            .with_urgency(now, rules=rules)
            .values(*ANNOTATIONS)
            .get()
        )
    rank = values["urgency_rank"]
    if rank == RANK_CLOSED:
        return Urgency("closed", RANK_CLOSED, [consultation.get_status_display()])

    today = timezone.localdate(now)
    found = consultation.deadline_estimates(today=today, rules=rules)
    levels, lines = [], []
    if consultation.incident_date is None:
        shortest = deadlines.shortest_applying(
            rules, what=consultation.what, who=consultation.who, today=today
        )
        if shortest is not None:
            lines.append(
                f"Ask the date: {shortest.words('name').lower()} ({shortest.words('period')}) may apply"
            )
        else:
            lines.append("Ask the date")
        levels.append("ask")
    elif values["next_deadline"] is None:
        if found:
            last = found[-1]
            lines.append(
                f"Estimated deadlines have passed ({deadlines.wording(last)}): for a lawyer to review"
            )
            levels.append("passed")
        else:
            lines.append("No dated deadline found in the table: for a lawyer to review")
            levels.append("calm")
    else:
        # The SQL rank chose next_rule; should the Python estimates ever disagree (a rule edited between the
        # query and this row), fall back to the first deadline not passed rather than fail the whole list.
        upcoming = next(
            (estimate for estimate in found if estimate.rule.key == values["next_rule"]), None
        ) or next((estimate for estimate in found if not estimate.has_passed), found[-1])
        lines.append(deadlines.wording(upcoming))
        if rank == RANK_CRITICAL:
            levels.append("critical")
        elif upcoming.days_left <= deadlines.SOON_DAYS:
            levels.append("soon")
        else:
            levels.append("calm")
        passed = [estimate for estimate in found if estimate.has_passed]
        if passed:
            lines.append(f"{passed[-1].rule.words('name')} date passed ({deadlines.LABEL})")
            levels.append("passed")
        if not consultation.what:
            lines.append("What happened not given: earliest that may apply")

    if values["is_overdue"]:
        days = max(1, business_days_between(timezone.localdate(consultation.received_at), today))
        lines.append(f"Overdue: no contact for {_plural(days, 'business day')}")
        levels.append("overdue")
    return Urgency(min(levels, key=LEVELS.index), rank, lines, found)


def _how_far(days: int) -> str:
    if days <= 0:
        return "due today"
    if days <= 60:
        return f"due in ~{_plural(days, 'day')}"
    return f"due in ~{_plural(round(days / 30.44), 'month')}"


def headline(consultation, *, now: datetime | None = None, rules=None) -> str:
    """The urgency in a few words for an email's subject, e.g. "Notice of claim due in ~N days": the nearest
    estimated deadline and its rule's name from the time-limits table, never anything the visitor wrote.
    Empty when the table gives nothing to say."""
    today = timezone.localdate(now or timezone.now())
    rules = deadlines.intake_rules() if rules is None else rules
    if consultation.incident_date is None:
        shortest = deadlines.shortest_applying(
            rules, what=consultation.what, who=consultation.who, today=today
        )
        if shortest is None:
            return ""
        return f"Ask the incident date: {shortest.words('name').lower()} may apply"
    found = consultation.deadline_estimates(today=today, rules=rules)
    upcoming = [estimate for estimate in found if not estimate.has_passed]
    if upcoming:
        return f"{upcoming[0].rule.words('name')} {_how_far(upcoming[0].days_left)}"
    if found:
        return f"{found[-1].rule.words('name')} date may have passed"
    return ""

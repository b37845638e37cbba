"""How urgent a request is, in words and as a rank: what intake sees first on the request list and in the digest.

Order (rank): 0 deadline-critical (an estimated deadline within deadlines.CRITICAL_DAYS), 1 overdue (new, no
contact for more than one business day), 2 other new requests, 3 in progress, 4 closed. The same rank is
computed in SQL by ConsultationRequestQuerySet.with_urgency() so the list sorts and paginates in the database;
tests check the two agree.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from consultations import deadlines
from consultations.business_days import business_days_between, one_business_day_before

RANK_CRITICAL, RANK_OVERDUE, RANK_NEW, RANK_OPEN, RANK_CLOSED = range(5)

# CSS modifier (static/css/admin-intake.css) and how serious each level is; the worst one colours the cell.
LEVELS = ("critical", "overdue", "passed", "soon", "ask", "calm", "closed")


@dataclass
class Urgency:
    level: str
    rank: int
    lines: list[str] = field(default_factory=list)
    estimates: list[deadlines.Estimate] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "; ".join(self.lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def assess(consultation, *, now: datetime | None = None) -> Urgency:
    """The urgency of one request. Needs its status, received_at, incident_date, public_entity and
    practice_area (select_related it on lists)."""
    now = now or timezone.now()
    model = type(consultation)
    if consultation.status in model.CLOSED_STATUSES:
        return Urgency("closed", RANK_CLOSED, [consultation.get_status_display()])

    today = timezone.localdate(now)
    area_slug = consultation.practice_area.slug if consultation.practice_area_id else None
    found = deadlines.estimates(
        incident_date=consultation.incident_date,
        public_entity=consultation.public_entity,
        area_slug=area_slug,
        today=today,
    )
    upcoming = deadlines.next_deadline(found)
    levels, lines = [], []

    if consultation.incident_date is None:
        rules = deadlines.applicable_rules(public_entity=consultation.public_entity, area_slug=area_slug)
        shortest = min(rules, key=lambda rule: rule.period.after(today))
        lines.append(f"Ask the date: {shortest.name.lower()} ({shortest.period}) may apply")
        levels.append("ask")
    elif upcoming is None:
        last = found[-1]
        lines.append(f"Estimated deadlines have passed ({last.wording()}): for a lawyer to review")
        levels.append("passed")
    else:
        lines.append(upcoming.wording())
        if upcoming.days_left <= deadlines.CRITICAL_DAYS:
            levels.append("critical")
        elif upcoming.days_left <= deadlines.SOON_DAYS:
            levels.append("soon")
        else:
            levels.append("calm")
        passed = [estimate for estimate in found if estimate.has_passed]
        if passed:
            lines.append(f"{passed[-1].rule.name} date passed ({deadlines.LABEL})")
            levels.append("passed")
        if area_slug not in deadlines.KNOWN_AREAS:
            lines.append("Area not given: earliest that may apply")

    overdue = consultation.status == model.Status.NEW and consultation.received_at < one_business_day_before(
        now
    )
    if overdue:
        days = max(1, business_days_between(timezone.localdate(consultation.received_at), today))
        lines.append(f"Overdue: no contact for {_plural(days, 'business day')}")
        levels.append("overdue")

    if upcoming is not None and upcoming.days_left <= deadlines.CRITICAL_DAYS:
        rank = RANK_CRITICAL
    elif overdue:
        rank = RANK_OVERDUE
    elif consultation.status == model.Status.NEW:
        rank = RANK_NEW
    else:
        rank = RANK_OPEN
    level = min(levels, key=LEVELS.index)
    return Urgency(level, rank, lines, found)

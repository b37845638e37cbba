"""The morning digest: open requests by urgency, to FIRM_INTAKE_EMAILS, once per business day.

The outbox worker (manage.py run_outbox_worker) calls queue_digest() on every loop, so no cron is needed. From
INTAKE_DIGEST_TIME (New York) on a business day (consultations/business_days.py: no weekends, no US federal or New
York holidays) the first worker to get there inserts that day's DigestRun row; its date is unique, so a second
worker's insert waits for the first to commit and then finds the row, and the day's digest is queued exactly once
however many workers run. When nothing is open the row is still written (open_requests = 0), so the day is done,
and no email is queued. The email itself goes through the outbox like any other: retries, then an alert.

The digest carries names and request numbers only: no narratives, phone numbers or email addresses.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultations import deadlines
from consultations import urgency as urgency_rules
from consultations.business_days import is_business_day
from consultations.models import ConsultationRequest, DigestRun
from outbox import queue

logger = logging.getLogger(__name__)

DIGEST = "digest"  # the kind of email (consultations/emails.py builds it)

# More than this and the digest says how many more there are; the list in the admin has them all.
DIGEST_LIMIT = 100

SECTIONS = {
    urgency_rules.RANK_CRITICAL: f"Deadline-critical (an estimated deadline within {deadlines.CRITICAL_DAYS} days)",
    urgency_rules.RANK_OVERDUE: "Overdue (new, no contact for more than one business day)",
    urgency_rules.RANK_NEW: "New",
    urgency_rules.RANK_OPEN: "In progress",
}


def digest_day(now: datetime | None = None) -> date | None:
    """The New York date whose digest is due at `now`, or None (switched off, not a business day, too early)."""
    if not settings.INTAKE_DIGEST:
        return None
    local = timezone.localtime(now or timezone.now())
    if not is_business_day(local.date()) or local.time() < settings.INTAKE_DIGEST_TIME:
        return None
    return local.date()


def queue_digest(now: datetime | None = None) -> DigestRun | None:
    """Queue today's digest if it is due and no worker has done it yet. Returns the new run, or None."""
    now = now or timezone.now()
    day = digest_day(now)
    if day is None or DigestRun.objects.filter(date=day).exists():  # the usual case: one cheap query
        return None
    with transaction.atomic():
        run, created = DigestRun.objects.get_or_create(date=day, defaults={"created_at": now})
        if not created:
            return None  # another worker got there first
        run.open_requests = ConsultationRequest.objects.open().count()
        run.save(update_fields=["open_requests"])
        if run.open_requests:
            queue.enqueue(DIGEST, source=run, dedupe_key=f"digest:{day.isoformat()}")
    logger.info("digest: %s queued with %s open request(s)", day, run.open_requests)
    return run


@dataclass
class DigestLine:
    number: str
    name: str
    urgency: str
    level: str
    admin_url: str


def digest_sections(now: datetime | None = None) -> tuple[list[tuple[str, list[DigestLine]]], int]:
    """Open requests, most urgent first, grouped by urgency; and how many more did not fit."""
    now = now or timezone.now()
    open_requests = (
        ConsultationRequest.objects.open()
        .select_related("practice_area")
        .only(
            "name",
            "status",
            "received_at",
            "incident_date",
            "public_entity",
            "practice_area__slug",
            "practice_area_label",
        )
        .by_urgency(now)
    )
    total = open_requests.count()
    sections: dict[int, list[DigestLine]] = {}
    for consultation in open_requests[:DIGEST_LIMIT]:
        urgency = consultation.urgency(now=now)
        sections.setdefault(consultation.urgency_rank, []).append(
            DigestLine(
                number=consultation.number,
                name=consultation.name,
                urgency=urgency.text,
                level=urgency.level,
                admin_url=settings.SITE_URL + consultation.get_admin_url(),
            )
        )
    grouped = [(SECTIONS[rank], sections[rank]) for rank in sorted(sections)]
    return grouped, max(0, total - DIGEST_LIMIT)

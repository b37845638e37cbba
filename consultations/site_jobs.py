"""Periodic jobs the outbox worker runs between email batches, so the site needs no cron:

- tell the attorneys (by email, through the outbox) about every article that waits for their approval;
- remind an article's reviewing attorney, once and then weekly, when a live article's legal review is
  more than 11 months old;
- keep the advertising archive (articles/archive.py): capture after a change or a scheduled go-live,
  at least every 90 days, and purge copies past the retention period.

Every job is idempotent and safe with several workers: emails carry a ``dedupe_key`` (unique in the
database), and the archive locks its own state row. The worker calls ``run_site_jobs`` at most every
``SITE_JOBS_SECONDS``; ``manage.py run_site_jobs`` runs them once.
"""

import calendar
import logging
from datetime import date

from django.utils import timezone

from articles import archive
from articles.models import Article
from consultations.models import OutboundEmail

logger = logging.getLogger(__name__)

REVIEW_REMINDER_MONTHS = 11
REMINDER_EVERY_DAYS = 7


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def queue_approval_requests() -> int:
    """One email to the attorneys for each text that waits for approval (a new edit, a new email)."""
    emails = [
        OutboundEmail(
            kind=OutboundEmail.Kind.APPROVAL,
            article=article,
            dedupe_key=f"approval:{article.pk}:{article.content_hash}",
        )
        for article in Article.objects.awaiting_approval().only("pk", "content_hash")
    ]
    OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True)  # one per text, however many workers
    return len(emails)


def queue_review_reminders(today: date | None = None) -> int:
    """Remind reviewing attorneys of live articles reviewed more than 11 months ago: once, then every
    7 days after the previous reminder, until a new review date is saved."""
    today = today or timezone.localdate()
    cutoff = months_before(today, REVIEW_REMINDER_MONTHS)
    stale = list(
        Article.objects.published().filter(last_reviewed_on__lt=cutoff).only("pk", "last_reviewed_on")
    )
    previous = {}  # (article, review date) -> (how many reminders so far, the day of the latest)
    for key, created_at in OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.REVIEW, article__in=stale
    ).values_list("dedupe_key", "created_at"):
        _, article_id, reviewed_on, number = key.split(":")
        known = previous.get((article_id, reviewed_on))
        if known is None or int(number) >= known[0]:
            previous[(article_id, reviewed_on)] = (int(number) + 1, timezone.localdate(created_at))
    emails = []
    for article in stale:
        count, last_day = previous.get((str(article.pk), article.last_reviewed_on.isoformat()), (0, None))
        if last_day is not None and (today - last_day).days < REMINDER_EVERY_DAYS:
            continue
        emails.append(
            OutboundEmail(
                kind=OutboundEmail.Kind.REVIEW,
                article=article,
                created_at=timezone.now(),
                dedupe_key=f"review:{article.pk}:{article.last_reviewed_on.isoformat()}:{count}",
            )
        )
    OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True)
    return len(emails)


JOBS = [
    ("approval requests", queue_approval_requests),
    ("review reminders", queue_review_reminders),
    ("archive", archive.run_periodic_jobs),
]


def run_site_jobs() -> None:
    """Run every job; one failing (logged) does not stop the others or the worker."""
    for name, job in JOBS:
        try:
            job()
        except Exception:  # noqa: BLE001 (the worker must keep sending email whatever happens here)
            logger.exception("site job %s failed; it runs again next time", name)

"""The outbox worker's sending: claims due rows, sends them, records the outcome.

Each email moves pending -> sending (claimed, committed) -> sent, or back to pending with a later
next_attempt_at, or to failed. Claiming uses SELECT ... FOR UPDATE SKIP LOCKED, so any number of worker
processes on any number of servers can run at once without sending a row twice.

Remaining window: if a worker dies after the SMTP server accepted a message but before "sent" is
committed, the row stays "sending" and is tried again after OUTBOX_CLAIM_TIMEOUT, so that one message can
arrive twice (with the same Message-ID). Losing it would be worse.
"""

import contextlib
import logging
import random
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.alerts import queue_alert
from outbox.models import OutboundEmail
from outbox.sending import build_message

logger = logging.getLogger(__name__)

ADDRESS = re.compile(r"[^\s<>@]+@[^\s<>@]+")


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with "equal jitter" so a recovering mail server is not hit by every row at once."""
    delay = min(
        settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    )
    return timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))  # noqa: S311 (not for security)


def is_permanent(exc: Exception) -> bool:
    """Failures that another attempt cannot fix: a refused recipient, a rejected message, a bad header."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPException | OSError):
        return False  # connection refused, timeouts, 4xx, authentication or sender problems: try again
    return isinstance(exc, ValueError)  # header validation, unsendable email


def describe(exc: Exception) -> str:
    """A short error for staff, with any email address removed (the error text is kept in the database)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(exc.recipients.values()))
        text = f"recipient refused: {code} {reason.decode(errors='replace') if isinstance(reason, bytes) else reason}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        error = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        text = f"{type(exc).__name__}: {exc.smtp_code} {error}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return ADDRESS.sub("<address>", " ".join(text.split()))[:500]


def claim(limit: int) -> list[int]:
    """Mark up to `limit` due emails as being sent by this worker and return their ids."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now, claim_timeout=settings.OUTBOX_CLAIM_TIMEOUT)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboundEmail.objects.filter(pk__in=ids).update(
                state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return ids


def _finish(email: OutboundEmail, **changes) -> bool:
    """Record the outcome, unless the claim expired and another worker took the row over meanwhile."""
    return bool(
        OutboundEmail.objects.filter(
            pk=email.pk, state=OutboundEmail.State.SENDING, claimed_at=email.claimed_at
        ).update(**changes)
    )


def _fail(email: OutboundEmail, error: str) -> None:
    with transaction.atomic():
        if _finish(email, state=OutboundEmail.State.FAILED, last_error=error, claimed_at=None):
            logger.error(
                "outbox: email %s (%s) failed for good after %s attempts",
                email.pk,
                email.kind,
                email.attempts,
            )
            queue_alert(email)


def deliver(email_id: int, connection) -> str:
    """Send one claimed email; returns its new state."""
    email = OutboundEmail.objects.select_related("about", "recipient").get(pk=email_id)
    if email.state != OutboundEmail.State.SENDING:
        return email.state
    try:
        message = build_message(email)
        if connection.send_messages([message]) != 1:
            raise ValueError("the mail backend accepted no message")
    except Exception as exc:  # noqa: BLE001 (every failure is recorded on the row, none may stop the worker)
        _close_quietly(connection)
        error = describe(exc)
        if is_permanent(exc) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _fail(email, error)
            return OutboundEmail.State.FAILED
        _finish(
            email,
            state=OutboundEmail.State.PENDING,
            last_error=error,
            claimed_at=None,
            next_attempt_at=timezone.now() + backoff(email.attempts),
        )
        logger.warning("outbox: email %s attempt %s failed, will retry: %s", email.pk, email.attempts, error)
        return OutboundEmail.State.PENDING
    _finish(email, state=OutboundEmail.State.SENT, sent_at=timezone.now(), last_error="", claimed_at=None)
    return OutboundEmail.State.SENT


def _close_quietly(connection) -> None:
    # The connection may already be broken; the next send opens a new one.
    with contextlib.suppress(Exception):
        connection.close()


def process_batch(limit: int = 20) -> dict[str, int]:
    """Claim and send one batch. Returns counts by outcome (empty when nothing was due)."""
    ids = claim(limit)
    counts: dict[str, int] = {}
    if not ids:
        return counts
    connection = mailers.default
    try:
        for email_id in ids:
            state = deliver(email_id, connection)
            counts[state] = counts.get(state, 0) + 1
    finally:
        _close_quietly(connection)
    logger.info("outbox: batch done %s", " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return counts


def drain(limit: int = 20) -> dict[str, int]:
    """Process batches until nothing is due right now."""
    totals: dict[str, int] = {}
    while counts := process_batch(limit):
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals

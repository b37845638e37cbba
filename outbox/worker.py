"""The outbox worker's sending: claims due rows, sends them, records the outcome.

Each email moves pending -> sending (claimed under a lease, committed) -> sent, or back to pending with a later
next_attempt_at, or to failed. Claiming uses SELECT ... FOR UPDATE SKIP LOCKED, so any number of worker
processes on any number of servers can run at once without sending a row twice. The worker renews its lease
while it works (outbox/lease.py) and writes each outcome as soon as it is known, keeping it in memory while the
database is away (outbox/results.py): a database restart mid-batch neither stops the batch nor sends anything
twice.

Remaining window: if a worker dies after the SMTP server accepted a message but before "sent" is
committed, the row stays "sending" and is tried again when its lease runs out (OUTBOX_LEASE_SECONDS), so that
one message can arrive twice (with the same Message-ID). Losing it would be worse.
"""

import contextlib
import logging
import random
import re
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from outbox import lease, results
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


def claim(limit: int) -> tuple[list[int], datetime | None]:
    """Lease up to `limit` due emails to this worker; returns their ids and the claim's time (which names it)."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboundEmail.objects.filter(pk__in=ids).update(
                state=OutboundEmail.State.SENDING,
                claimed_at=now,
                lease_until=lease.until(now),
                attempts=F("attempts") + 1,
            )
    return ids, (now if ids else None)


def outcome_of(email: OutboundEmail, exc: Exception | None) -> results.Outcome:
    """What to write for this email after one attempt: sent, another attempt later, or failed for good."""
    outcome = results.Outcome(
        email_id=email.pk,
        kind=email.kind,
        claimed_at=email.claimed_at,
        attempts=email.attempts,
        state=OutboundEmail.State.SENT,
    )
    done = {"claimed_at": None, "lease_until": None}
    if exc is None:
        outcome.changes = {"state": outcome.state, "sent_at": timezone.now(), "last_error": "", **done}
        return outcome
    outcome.error = describe(exc)
    if is_permanent(exc) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        outcome.state = OutboundEmail.State.FAILED
        outcome.changes = {"state": outcome.state, "last_error": outcome.error, **done}
    else:
        outcome.state = OutboundEmail.State.PENDING
        outcome.changes = {
            "state": outcome.state,
            "last_error": outcome.error,
            "next_attempt_at": timezone.now() + backoff(email.attempts),
            **done,
        }
    return outcome


def prepare(
    ids: list[int], claimed_at
) -> list[tuple[OutboundEmail, EmailMultiAlternatives | results.Outcome]]:
    """Read the claimed rows and build every message now, so the batch can be sent without the database.
    An email whose message cannot be built gets its outcome at once, in place of the message."""
    emails = OutboundEmail.objects.select_related("about", "recipient").filter(
        pk__in=ids, state=OutboundEmail.State.SENDING, claimed_at=claimed_at
    )
    prepared = []
    for email in emails.order_by("next_attempt_at", "pk"):
        try:
            prepared.append((email, build_message(email)))
        except DatabaseError:
            raise
        except Exception as exc:  # noqa: BLE001 (an unbuildable email is recorded on its row, like a refusal)
            outcome = outcome_of(email, exc)
            results.record(outcome)
            prepared.append((email, outcome))
    return prepared


def send(email: OutboundEmail, message: EmailMultiAlternatives, connection) -> results.Outcome:
    """One attempt at one email; never raises."""
    try:
        if connection.send_messages([message]) != 1:
            raise ValueError("the mail backend accepted no message")
    except Exception as exc:  # noqa: BLE001 (every failure is recorded on the row, none may stop the worker)
        _close_quietly(connection)
        outcome = outcome_of(email, exc)
        if outcome.state == OutboundEmail.State.PENDING:
            logger.warning(
                "outbox: email %s attempt %s failed, will retry: %s", email.pk, email.attempts, outcome.error
            )
        return outcome
    return outcome_of(email, None)


def _close_quietly(connection) -> None:
    # The connection may already be broken; the next send opens a new one.
    with contextlib.suppress(Exception):
        connection.close()


def process_batch(limit: int = 20) -> dict[str, int]:
    """Claim and send one batch. Returns counts by outcome (empty when nothing was due).

    Outcomes held from an earlier batch are written first; while that fails (the database is still away) the
    database error is raised and nothing new is claimed. Once claimed, a database outage no longer stops the
    batch: its messages are built, each outcome is written as soon as it is known or held until the database
    is back (outbox/results.py)."""
    results.write_held()
    ids, claimed_at = claim(limit)
    counts: dict[str, int] = {}
    if not ids:
        return counts
    results.take(ids, claimed_at)
    try:
        prepared = prepare(ids, claimed_at)
    except DatabaseError:
        results.let_go(ids)  # nothing was sent: the rows are due again when their lease runs out
        raise
    results.let_go(set(ids) - {email.pk for email, _ in prepared})  # no longer ours (e.g. resent by staff)
    connection = mailers.default
    try:
        for email, message in prepared:
            if isinstance(message, results.Outcome):
                outcome = message  # could not be built; already recorded
            else:
                outcome = send(email, message, connection)
                results.record(outcome)
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
            lease.renew_if_due()
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

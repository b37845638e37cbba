"""What became of each email a worker sent, written to its row as soon as it is known, and kept in memory while
the database is away.

The worker builds a batch's messages when it claims them (outbox/worker.py), so it can go on sending while
PostgreSQL restarts. Each outcome (sent, try again later, failed for good) is written at once with an UPDATE that
also names the claim (the row must still be "sending" under this worker's claimed_at), so a worker whose lease ran
out and whose row another worker took over never overwrites the newer claim. When the write fails because the
database is unreachable, the outcome is kept here, the worker carries on, and the held outcomes are written when
the database answers again: before the next batch is claimed, and between messages at most every
RETRY_WRITE_SECONDS. A "sent" that could not be written is therefore never sent again by this worker; only a
crash before it is written leaves the row "sending", and then the message goes out once more (with the same
Message-ID) when the lease runs out. The log names every email whose outcome could not be written.
"""

import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from outbox.alerts import queue_alert
from outbox.models import OutboundEmail

logger = logging.getLogger("outbox.worker")

# While the database is away, held outcomes are offered again between messages at most this often.
RETRY_WRITE_SECONDS = 1.0


@dataclass
class Outcome:
    """One email's result, and the claim it was sent under."""

    email_id: int
    kind: str
    claimed_at: datetime
    attempts: int
    state: str  # OutboundEmail.State: sent, pending (another attempt later) or failed
    changes: dict = field(default_factory=dict)
    error: str = ""

    def __str__(self):
        return f"email {self.email_id} ({self.kind}): {self.state}"


# Claimed rows whose outcome is not written yet (being sent, or held): email id -> claimed_at. The lease keeper
# (outbox/lease.py) renews exactly these.
_in_hand: dict[int, datetime] = {}
# Outcomes known but not yet written (the database was away), in the order they became known.
_held: dict[int, Outcome] = {}
# When (monotonic) a write last failed, while the database is away; None while it answers.
_away_since: float | None = None
_written_while_away: list[Outcome] = []


def take(ids, claimed_at: datetime) -> None:
    """These freshly claimed rows are in this worker's hands until their outcome is written."""
    _in_hand.update(dict.fromkeys(ids, claimed_at))


def let_go(ids) -> None:
    """Stop holding these rows without an outcome (nothing was sent): their lease runs out and they are due
    again within OUTBOX_LEASE_SECONDS."""
    for email_id in ids:
        _in_hand.pop(email_id, None)
        _held.pop(email_id, None)


def in_hand() -> dict[int, datetime]:
    return dict(_in_hand)


def held() -> list[Outcome]:
    return list(_held.values())


def record(outcome: Outcome) -> None:
    """Write this outcome now if the database answers, or keep it until it does. Never raises."""
    _held[outcome.email_id] = outcome
    write_held(patient=True)


def write_held(*, patient: bool = False) -> bool:
    """Write the held outcomes, oldest first; True when none is left.

    patient=True (between messages): never raises, and leaves the database alone until RETRY_WRITE_SECONDS
    after the last failure. Otherwise (before claiming a batch) a database error is raised, so the worker does not
    claim more while it cannot write what it has already sent."""
    global _away_since
    if not _held:
        return True
    if patient and _away_since is not None and time.monotonic() - _away_since < RETRY_WRITE_SECONDS:
        return False
    try:
        while _held:
            outcome = next(iter(_held.values()))
            _write(outcome)
            del _held[outcome.email_id]
            _in_hand.pop(outcome.email_id, None)
            if _away_since is not None:
                _written_while_away.append(outcome)
    except DatabaseError as error:
        if _away_since is None:
            logger.warning(
                "outbox: database unavailable (%s): keeping the outcome of %s in memory until it is back",
                type(error).__name__,
                ", ".join(str(outcome) for outcome in _held.values()),
            )
        _away_since = time.monotonic()
        _close_connection()
        if patient:
            return False
        raise
    if _away_since is not None:
        counts = {}
        for outcome in _written_while_away:
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        logger.info(
            "outbox: database back: wrote %s outcomes held meanwhile (%s; emails %s)",
            len(_written_while_away),
            " ".join(f"{state}={number}" for state, number in sorted(counts.items())),
            ", ".join(str(outcome.email_id) for outcome in _written_while_away),
        )
        _away_since = None
        _written_while_away.clear()
    return True


def _write(outcome: Outcome) -> None:
    with transaction.atomic():
        written = OutboundEmail.objects.filter(
            pk=outcome.email_id, state=OutboundEmail.State.SENDING, claimed_at=outcome.claimed_at
        ).update(**outcome.changes)
        if written and outcome.state == OutboundEmail.State.FAILED:
            logger.error(
                "outbox: email %s (%s) failed for good after %s attempts",
                outcome.email_id,
                outcome.kind,
                outcome.attempts,
            )
            queue_alert(OutboundEmail(pk=outcome.email_id, kind=outcome.kind))
    if not written:
        # The lease ran out and another worker claimed the row (or staff deleted what it was about).
        logger.error(
            "outbox: could not settle email %s (%s): it was %s here, but another worker had taken it over%s",
            outcome.email_id,
            outcome.kind,
            outcome.state,
            ", so it may arrive twice (same Message-ID)" if outcome.state == OutboundEmail.State.SENT else "",
        )


def log_unsettled() -> list[Outcome]:
    """Name, at ERROR, every email whose outcome could not be written (called when the worker stops)."""
    left = held()
    for outcome in left:
        logger.error(
            "outbox: could not settle email %s (%s): it was %s at %s, but the database did not answer before the "
            "worker stopped; it stays 'sending' until its lease runs out and is then sent again "
            "(same Message-ID)",
            outcome.email_id,
            outcome.kind,
            outcome.state,
            timezone.localtime(outcome.changes.get("sent_at") or timezone.now()).strftime("%H:%M:%S"),
        )
    return left


def _close_connection() -> None:
    # The connection may be broken; the next query opens a new one once the database is back.
    with contextlib.suppress(Exception):
        connection.close()

"""A claimed email is leased, not owned: its worker renews the lease (lease_until, OUTBOX_LEASE_SECONDS ahead)
every third of that time while the row is in its hands (outbox/results.py: being sent, or its outcome held while
the database is away). A worker that dies stops renewing, so its rows are due again within OUTBOX_LEASE_SECONDS,
not minutes later.

Renewal happens between messages (``renew_if_due``, for every worker) and, in the long-running worker, also from a
heartbeat thread (``Keeper``), so one slow SMTP conversation does not let a lease run out. The SMTP timeout
(EMAIL_URL ``timeout``, 10 s by default) should stay below OUTBOX_LEASE_SECONDS.
"""

import contextlib
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from outbox import results
from outbox.models import OutboundEmail

logger = logging.getLogger("outbox.worker")

_lock = threading.Lock()
_renewed_at = 0.0


def lease_seconds() -> float:
    return float(settings.OUTBOX_LEASE_SECONDS)


def until(now=None):
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def renew() -> int:
    """Push the lease of every row in this worker's hands OUTBOX_LEASE_SECONDS ahead. Returns how many rows
    were renewed; a database error is swallowed (the database is away: the outcomes are held meanwhile, and the
    next renewal after it is back carries on)."""
    global _renewed_at
    with _lock:
        _renewed_at = time.monotonic()
        claims: dict = {}
        for email_id, claimed_at in results.in_hand().items():
            claims.setdefault(claimed_at, []).append(email_id)
        if not claims:
            return 0
        renewed = 0
        try:
            with transaction.atomic():
                # Never wait behind another transaction's row lock: the next renewal comes soon anyway.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                lease_until = until()
                for claimed_at, ids in claims.items():
                    renewed += OutboundEmail.objects.filter(
                        pk__in=ids, state=OutboundEmail.State.SENDING, claimed_at=claimed_at
                    ).update(lease_until=lease_until)
        except DatabaseError:
            if not connection.in_atomic_block:
                with contextlib.suppress(Exception):
                    connection.close()
            return 0
        return renewed


def renew_if_due() -> None:
    """Renew if a third of the lease has passed since the last renewal (called between messages)."""
    if time.monotonic() - _renewed_at >= lease_seconds() / 3:
        renew()


class Keeper:
    """A heartbeat thread that renews the leases every third of OUTBOX_LEASE_SECONDS while the worker runs."""

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-lease", daemon=True)

    def start(self) -> "Keeper":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(lease_seconds() / 3):
                if results.in_hand():
                    renew()
        finally:
            connection.close()  # this thread's own connection

"""The outbox worker's heartbeat and the outbox's health, for /healthz (lawsite/views.py).

Every running worker (manage.py run_outbox_worker) writes the time into its host's WorkerHeartbeat row at
most every BEAT_SECONDS. /healthz says "worker": "degraded" when no worker has done so for
OUTBOX_WORKER_STALE_SECONDS, or when an email has waited longer than OUTBOX_PENDING_ALERT_SECONDS to go
out (the worker runs but cannot send: the mail server refuses, the password changed); "ok" otherwise. It
stays a 200 either way: a stopped worker must not take every app server out of the load balancer.
"""

import socket
import time

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from outbox.models import OutboundEmail, WorkerHeartbeat

BEAT_SECONDS = 30
_last_beat = 0.0


def beat(*, force: bool = False) -> None:
    """Record that this host's worker is alive (a write at most every BEAT_SECONDS)."""
    global _last_beat
    now = time.monotonic()
    if not force and now - _last_beat < BEAT_SECONDS:
        return
    WorkerHeartbeat.objects.update_or_create(
        name=socket.gethostname()[:100], defaults={"seen_at": timezone.now()}
    )
    _last_beat = now


def worker_health(now=None) -> dict:
    """{"worker": "ok" | "degraded", "worker_seen_seconds_ago": int | None, "oldest_pending_email_seconds": int}.
    Two small queries; counts and ages only, nothing about any email's content or recipient."""
    now = now or timezone.now()
    seen = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    waiting = OutboundEmail.objects.filter(
        state__in=[OutboundEmail.State.PENDING, OutboundEmail.State.SENDING]
    ).aggregate(oldest=Min("created_at"))["oldest"]
    seen_ago = max(0, int((now - seen).total_seconds())) if seen else None
    pending = max(0, int((now - waiting).total_seconds())) if waiting else 0
    alive = seen_ago is not None and seen_ago <= settings.OUTBOX_WORKER_STALE_SECONDS
    return {
        "worker": "ok" if alive and pending <= settings.OUTBOX_PENDING_ALERT_SECONDS else "degraded",
        "worker_seen_seconds_ago": seen_ago,
        "oldest_pending_email_seconds": pending,
    }

"""The rounds of the outbox worker's loop (manage.py run_outbox_worker): each one its own log id, and calm logs
through an outage.

Each round (the heartbeat, the due jobs, one batch of email) runs in a copy of the context with a fresh id,
``worker-<12 hex digits>``, which the site's log filter puts on every line in place of a request id
(lawsite/middleware.py): the lines of one round can be found together, and none carries the id of a web request
served earlier in the same process (the archive job renders pages through Django, which gives each one a request
id). Nothing set during a round outlives it.

A round that fails (PostgreSQL is away, say) is logged once, with one traceback, however long the trouble lasts;
the rounds after it fail quietly, and the first one that works again says so in one line.

This module imports no models: the log filter reads ``current()`` while logging is being configured.
"""

import contextlib
import contextvars
import logging
import time
import uuid
from collections.abc import Callable

logger = logging.getLogger("outbox.worker")

_round_id = contextvars.ContextVar("outbox_round_id", default="")


def current() -> str:
    """The id of the worker round running in this context, or "" outside one."""
    return _round_id.get()


class Rounds:
    def __init__(self):
        self.failures = 0
        self.failing_since = 0.0

    def run(self, body: Callable[[], object]) -> object:
        """Run one round; returns what ``body`` returned, or None if it failed."""
        return contextvars.copy_context().run(self._run, body)

    def _run(self, body):
        _round_id.set("worker-" + uuid.uuid4().hex[:12])
        try:
            result = body()
        except Exception as exc:  # noqa: BLE001 (e.g. the database is down: the caller waits and tries again)
            self._failed(exc)
            return None
        if self.failures:
            logger.info(
                "outbox worker: working again after %s failed round(s) over %.0f s",
                self.failures,
                time.monotonic() - self.failing_since,
            )
            self.failures = 0
        return result

    def _failed(self, exc: Exception) -> None:
        from django.db import DatabaseError, connection

        self.failures += 1
        if self.failures == 1:
            self.failing_since = time.monotonic()
            # An unreachable database is an outage to wait out (a warning); anything else is a bug (an error).
            level = logging.WARNING if isinstance(exc, DatabaseError) else logging.ERROR
            logger.log(
                level,
                "outbox worker: a round failed (%s); retrying with a growing pause, logged again when it works",
                type(exc).__name__,
                exc_info=exc,
            )
        with contextlib.suppress(Exception):
            connection.close()  # never reuse a connection that may be broken

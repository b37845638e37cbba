"""The periodic jobs the worker runs between email batches, so the site needs no cron.

The apps own their jobs (the morning digest in consultations/digest.py, approval requests and review reminders
in articles/emails.py, the advertising archive's captures); the wiring lists them in ``settings.OUTBOX_JOBS``
as ``(dotted path, seconds between runs)``, 0 meaning every loop of the worker. The outbox imports none of
them. Every job must be idempotent and safe with several workers (a unique ``dedupe_key`` on the emails it
queues, or a lock of its own).
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def declared() -> list[tuple[str, float, Callable[[], object]]]:
    return [(path, float(every), import_string(path)) for path, every in settings.OUTBOX_JOBS]


# Jobs failing now: dotted path -> failed runs in a row. A job that keeps failing is logged once (with its
# traceback), not on every run, and once more when it works again.
_failing: dict[str, int] = {}


def run(path: str, job: Callable[[], object]) -> None:
    """Run one job. Its failure is logged and stops neither the other jobs nor the worker; a database
    error is raised, so the worker backs off as it does for any outage (outbox/rounds.py logs that once)."""
    try:
        job()
    except DatabaseError:
        raise
    except Exception:  # noqa: BLE001 (the worker must keep sending email whatever happens in a job)
        _failing[path] = _failing.get(path, 0) + 1
        if _failing[path] == 1:
            logger.exception(
                "outbox job %s failed; it runs again next time (logged again when it works)", path
            )
        return
    if failures := _failing.pop(path, 0):
        logger.info("outbox job %s works again after %s failed run(s)", path, failures)


def run_all() -> None:
    """Every declared job once (manage.py run_site_jobs)."""
    for path, _every, job in declared():
        run(path, job)


def run_every_loop() -> None:
    """The jobs declared with 0 seconds (what ``run_outbox_worker --once`` runs before sending)."""
    for path, every, job in declared():
        if not every:
            run(path, job)


class Schedule:
    """When each job is next due, in this worker process (monotonic clock)."""

    def __init__(self, jobs=None):
        self.jobs = declared() if jobs is None else jobs
        self.due_at = dict.fromkeys((path for path, _every, _job in self.jobs), 0.0)

    def run_due(self) -> None:
        for path, every, job in self.jobs:
            now = time.monotonic()
            if now >= self.due_at[path]:
                self.due_at[path] = now + every
                run(path, job)

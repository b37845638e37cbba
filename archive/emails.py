"""The archive's one email, through the outbox (outbox/): when an automatic capture fails, one alert to
FIRM_ALERT_EMAILS. Only the first failure in a row alerts (archive/capture.py); the worker keeps retrying with
back-off, and a later failure after a successful capture alerts again. ``manage.py archive_site`` says so on
screen instead, and exits non-zero."""

from django.conf import settings
from django.urls import reverse

from archive.models import ArchiveRun
from outbox import kinds, queue

CAPTURE_FAILED = "archive_failed"


def queue_failure_alert(run: ArchiveRun) -> None:
    """Queued in the capture's own transaction; once per failed run (its dedupe key)."""
    queue.enqueue_once([queue.email(CAPTURE_FAILED, source=run, dedupe_key=f"archive-failed:{run.pk}")])


def build_failure_alert(row) -> kinds.Draft:
    run = ArchiveRun.objects.get(pk=row.object_id)
    return kinds.Draft(
        to=list(settings.FIRM_ALERT_EMAILS),
        subject="Advertising archive: a capture of the website failed",
        template="archive/email/failed",
        context={
            "firm": settings.FIRM,
            "run": run,
            "run_url": settings.SITE_URL + reverse("admin:archive_archiverun_change", args=[run.pk]),
        },
    )


def describe(row) -> str:
    return f"Archive run {row.object_id}"


def register() -> None:
    """Called from ArchiveConfig.ready()."""
    kinds.register(
        CAPTURE_FAILED,
        label="Archive capture failed, to staff",
        build=build_failure_alert,
        describe=describe,
        alert_note="The site itself is unaffected; the archive tries the capture again by itself.",
    )

"""The advertising archive: dated, hashed copies of every public page as visitors saw it.

New York's Rule 7.1(k) asks a firm to keep copies of its website: at launch, after major changes and at
least every 90 days, for the retention period. ``capture_site`` renders every public page of every
language in-process (archive/rendering.py) (the same views, templates and page cache visitors get, as an anonymous visitor over
HTTPS; the addresses come from the sitemaps themselves), makes each page self-contained (the stylesheet,
images and uploaded photos inlined, so it reads offline), blanks what changes on every
request (CSP nonces, CSRF and form-timer tokens) so that an unchanged page hashes the same, and stores a
gzip-compressed copy with its sha256 only when the page differs from the latest copy of that address.
Each run (``ArchiveRun``) lists every page it saw, pointing at the stored copy, so a run that found
nothing new still records what the site looked like then, and the sha256 of its manifest (its pages and
their sha256), which every export repeats so a copy of an export can be checked against the run.

A page that does not answer 200 fails the run (recorded with ``status`` FAILED and the pages named in
``error``, logged as an ERROR); the worker retries with back-off (``ArchiveState.retry_at``) and counts a
change or a period as captured only after a successful run.

When captures happen (nothing here needs a cron):
- ``capture_if_changed``: the content version moved (any edit to public content) or a scheduled
  publication time has passed since the last capture (an article going live with no save);
- ``capture_if_due``: no periodic capture for ``ARCHIVE_PERIOD`` (90 days); exactly once however many
  workers run, because the check and the capture happen under a lock on the one ``ArchiveState`` row;
- ``manage.py archive_site --reason TEXT``: by hand, e.g. at launch.
The email worker (``manage.py run_outbox_worker``) calls ``run_periodic_jobs`` between batches.
``purge_expired`` drops runs and copies older than ``ARCHIVE_RETENTION_DAYS`` (1095 by default).
"""

import gzip
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.emails import queue_failure_alert
from archive.export import manifest_digest, run_manifest
from archive.models import ArchiveCapture, ArchiveRun, ArchiveRunPage, ArchiveState
from archive.rendering import render_pages
from articles.models import ContentState

logger = logging.getLogger(__name__)


ARCHIVE_PERIOD = timedelta(days=90)
# After a failed automatic capture: wait 5 minutes, then 10, 20, ... at most 6 hours between tries.
RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=6)


def capture_site(*, trigger: str, reason: str) -> ArchiveRun:
    """Render every public page and store the ones that changed since their latest copy.

    When a page does not answer 200 the run is still recorded, with the pages that did, but as FAILED
    with ``error`` naming the others, and one ERROR line is logged: callers retry (the worker, with
    back-off) or report it (``archive_site`` exits non-zero). Whoever alerts the firm about a failed
    capture reads ``run.status`` and ``run.error``."""
    now = timezone.now()
    rendering = render_pages()
    pages = rendering.pages
    with transaction.atomic():
        run = ArchiveRun.objects.create(started_at=now, trigger=trigger, reason=reason[:200])
        latest = {}
        for capture in (
            ArchiveCapture.objects.filter(url__in=[page.url for page in pages])
            .order_by("url", "-captured_at", "-pk")
            .distinct("url")
            .only("url", "sha256")
        ):
            latest[capture.url] = capture
        stored = 0
        for page in pages:
            capture = latest.get(page.url)
            if capture is None or capture.sha256 != page.sha256:
                raw = page.html.encode()
                capture = ArchiveCapture.objects.create(
                    run=run,
                    url=page.url,
                    captured_at=now,
                    reason=run.reason,
                    sha256=page.sha256,
                    html_gzip=gzip.compress(raw, mtime=0),
                    size=len(raw),
                    approved_by=page.approved_by,
                )
                stored += 1
            ArchiveRunPage.objects.create(run=run, capture=capture, url=page.url)
        run.page_count, run.stored_count = len(pages), stored
        if rendering.failures:
            run.status = ArchiveRun.Status.FAILED
            run.error = (
                f"{len(rendering.failures)} of {len(pages) + len(rendering.failures)} pages did not "
                + ("answer 200: " + ", ".join(f"{url} ({answer})" for url, answer in rendering.failures))
            )
        run.manifest_sha256 = manifest_digest(run_manifest(run, [(page.url, page.sha256) for page in pages]))
        run.save(update_fields=["page_count", "stored_count", "status", "error", "manifest_sha256"])
    if run.status == ArchiveRun.Status.FAILED:
        logger.error("archive: %s run %s FAILED: %s", trigger, run.pk, run.error)
    else:
        logger.info(
            "archive: %s run %s: %s pages, %s new copies, manifest sha256 %s",
            trigger,
            run.pk,
            len(pages),
            stored,
            run.manifest_sha256,
        )
    return run


def _after_automatic_run(state: ArchiveState, run: ArchiveRun, now: datetime) -> bool:
    """Record the outcome on the state row: success clears the back-off; a failure sets when to try
    again (5 minutes, doubling with each failure in a row, at most 6 hours). True if the run succeeded."""
    if run.status == ArchiveRun.Status.DONE:
        state.failures, state.retry_at = 0, None
        return True
    state.failures += 1
    state.retry_at = now + min(RETRY_FIRST * 2 ** (state.failures - 1), RETRY_MAX)
    if state.failures == 1:  # the first failure in a row: one alert, not one per retry
        queue_failure_alert(run)
    logger.warning(
        "archive: capture failed %s time(s) in a row; next try at %s", state.failures, state.retry_at
    )
    return False


def _waiting_to_retry(state: ArchiveState, now: datetime) -> bool:
    return state.retry_at is not None and now < state.retry_at


def content_signature(now=None) -> tuple[str, int, int]:
    """What public pages currently depend on: the content version and how many scheduled publication
    times have passed (so a scheduled article going live with no save changes the signature)."""
    now = now or timezone.now()
    state = ContentState.objects.filter(pk=1).values_list("version", "upcoming").first() or (1, [])
    version, upcoming = state
    passed = sum(1 for t in upcoming if datetime.fromisoformat(t) <= now)
    return f"{version}.{passed}", version, passed


def _locked_state(*, skip_locked: bool) -> ArchiveState | None:
    ArchiveState.objects.get_or_create(pk=1)
    return ArchiveState.objects.select_for_update(skip_locked=skip_locked).filter(pk=1).first()


def capture_if_changed(now=None) -> ArchiveRun | None:
    """Capture when public content changed since the last capture. Another worker already on it: skip."""
    signature, version, passed = content_signature(now)
    with transaction.atomic():
        state = _locked_state(skip_locked=True)
        now = now or timezone.now()
        if state is None or state.content_signature == signature or _waiting_to_retry(state, now):
            return None
        old_version = state.content_signature.partition(".")[0]
        if not state.content_signature:
            reason = "First capture of the site"
        elif old_version == str(version) and passed:
            reason = "A scheduled article went live"
        else:
            reason = "Public content changed"
        run = capture_site(trigger=ArchiveRun.Trigger.CHANGE, reason=reason)
        if _after_automatic_run(state, run, now):  # a failed capture leaves the change to capture again
            state.content_signature = signature
        state.save(update_fields=["content_signature", "failures", "retry_at"])
    return run


def capture_if_due(now=None) -> ArchiveRun | None:
    """The periodic capture, once per ARCHIVE_PERIOD however many workers ask at the same moment."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state(skip_locked=False)  # wait for the other worker, then see its capture
        if state.last_periodic_at and now - state.last_periodic_at < ARCHIVE_PERIOD:
            return None
        if _waiting_to_retry(state, now):
            return None
        run = capture_site(
            trigger=ArchiveRun.Trigger.PERIODIC, reason="Periodic capture (at least every 90 days)"
        )
        if _after_automatic_run(state, run, now):  # a failed one is still due
            state.last_periodic_at = now
        state.save(update_fields=["last_periodic_at", "failures", "retry_at"])
    return run


def purge_expired(now=None) -> tuple[int, int]:
    """Delete runs, and copies no remaining run points at, older than ARCHIVE_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ARCHIVE_RETENTION_DAYS)
    with transaction.atomic():
        runs, _ = ArchiveRun.objects.filter(started_at__lt=cutoff).delete()
        old = ArchiveCapture.objects.filter(captured_at__lt=cutoff, run_pages__isnull=True)
        captures, _ = old.delete()
    if runs or captures:
        logger.info("archive: purged %s runs and %s page copies older than %s", runs, captures, cutoff.date())
    return runs, captures


def run_periodic_jobs(now=None) -> None:
    """What the worker does for the archive between email batches (cheap when there is nothing to do)."""
    capture_if_changed(now)
    capture_if_due(now)
    purge_expired(now)

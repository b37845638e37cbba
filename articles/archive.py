"""The advertising archive: dated, hashed copies of every public page as visitors saw it.

New York's Rule 7.1(k) asks a firm to keep copies of its website: at launch, after major changes and at
least every 90 days, for the retention period. ``capture_site`` renders every public page of every
language in-process (the same views, templates and page cache visitors get, as an anonymous visitor over
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

import base64
import gzip
import hashlib
import io
import json
import logging
import mimetypes
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import unescape
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.db import transaction
from django.http.request import validate_host
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from articles.models import (
    ArchiveCapture,
    ArchiveRun,
    ArchiveRunPage,
    ArchiveState,
    Article,
    ContentState,
)
from articles.sitemaps import SITEMAPS

logger = logging.getLogger(__name__)

ARCHIVE_PERIOD = timedelta(days=90)
# After a failed automatic capture: wait 5 minutes, then 10, 20, ... at most 6 hours between tries.
RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=6)
# Pages that are in no sitemap but that visitors see (named URLs; one that does not exist is skipped).
EXTRA_URL_NAMES = ("consultations:create", "consultations:thanks")

# What differs on every request although the page is the same.
VOLATILE = [
    (re.compile(r'\snonce="[^"]*"'), ""),
    (re.compile(r'(name="csrfmiddlewaretoken"\s+value=")[^"]*(")'), r"\1\2"),
    (re.compile(r'(value=")[^"]*("\s+name="csrfmiddlewaretoken")'), r"\1\2"),
    (re.compile(r'(name="started"[^>]*?\svalue=")[^"]*(")'), r"\1\2"),
    (re.compile(r'(\svalue=")[^"]*("[^>]*?name="started")'), r"\1\2"),
]
STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"[^>]*>')
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
IMAGE_SRC = re.compile(r'(\ssrc=")([^"]+)(")')
RESPONSIVE_ATTRIBUTES = re.compile(r'\s(?:srcset|sizes)="[^"]*"')
# <picture>'s alternative sources (a person's photo in WebP): the inlined <img> stands in for them.
PICTURE_SOURCE = re.compile(r'\s*<source\b[^>]*\ssrcset="[^"]*"[^>]*>')


@dataclass
class RenderedPage:
    url: str
    html: str
    sha256: str
    approved_by: str


@dataclass
class Rendering:
    """Every page that answered 200, and the ones that did not (address, what they answered)."""

    pages: list[RenderedPage] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


# Rendering -----------------------------------------------------------------------------------------


def sitemap_paths() -> list[str]:
    """Every address the sitemaps list, in every language (path and query, without scheme and host):
    taken from the sitemaps themselves, so a page added to a sitemap is archived with no change here."""
    paths: list[str] = []
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        for number in sitemap.paginator.page_range:
            for entry in sitemap.get_urls(page=number):
                parts = urlsplit(entry["location"])
                paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def public_urls() -> list[str]:
    """Every public page: everything in the sitemaps of every language (home, about, disclaimer, privacy,
    article list, practice areas, people, each published article), every further page of each
    language's article list, and the form and its thanks page in each language."""
    from articles.views import LISTING_PAGE_SIZE

    urls = sitemap_paths()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            published = Article.objects.published().in_language(language).count()
            list_url = reverse("articles:list")
            urls += [
                f"{list_url}?page={number}" for number in range(2, -(-published // LISTING_PAGE_SIZE) + 1)
            ]
            for name in EXTRA_URL_NAMES:
                try:
                    urls.append(reverse(name))
                except NoReverseMatch:
                    continue
    return list(dict.fromkeys(urls))


def _site_host() -> str:
    """The Host header the archive's requests use: SITE_URL's, if the site answers to it."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.netloc
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    return host


def _asset(url: str) -> bytes | None:
    """The bytes of a static file or an uploaded file (a person's photo, an article's image) the page
    links to, or None (left as a link) for anything else. An address that tries to leave its folder
    (`/static/../../etc/passwd`, which Django's storage would refuse with SuspiciousFileOperation) is
    skipped with a warning: one bad image in one article must not stop the whole capture."""
    parts = urlsplit(unescape(url))
    if parts.netloc and parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    path = unquote(parts.path)
    for prefix, read in ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file)):
        if not prefix or not path.startswith(prefix):
            continue
        name = path[len(prefix) :]
        try:
            if ".." in name.replace("\\", "/").split("/"):
                raise SuspiciousOperation("the address leaves its folder")
            return read(name)
        except SuspiciousOperation as error:
            logger.warning("archive: %s not inlined: %s", url, error)
        except OSError:
            logger.warning("archive: %s not inlined: no such file", url)
        return None
    return None


def _static_file(name: str) -> bytes | None:
    try:
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    except (OSError, ValueError):
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                return handle.read()
    return None


def _media_file(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def self_contained(html: str) -> str:
    """Inline the stylesheet and images (static files and uploads), so the copy looks the same offline
    and years later. An inlined <img> drops its srcset, and a <picture>'s other sources go, so a browser
    shows the inlined image rather than look for files that are not in the copy."""

    def stylesheet(match):
        data = _asset(match.group(1))
        if data is None:
            return match.group(0)
        return "<style>\n" + data.decode("utf-8", errors="replace") + "\n</style>"

    def image(tag_match):
        tag = tag_match.group(0)
        source = IMAGE_SRC.search(tag)
        if source is None or source.group(2).startswith("data:"):
            return tag
        data = _asset(source.group(2))
        if data is None:
            return tag
        kind = mimetypes.guess_type(urlsplit(unescape(source.group(2))).path)[0] or "application/octet-stream"
        inlined = f"{source.group(1)}data:{kind};base64,{base64.b64encode(data).decode()}{source.group(3)}"
        return RESPONSIVE_ATTRIBUTES.sub("", tag[: source.start()] + inlined + tag[source.end() :])

    html = IMAGE_TAG.sub(image, STYLESHEET.sub(stylesheet, html))
    return PICTURE_SOURCE.sub("", html)


def normalise(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def render_pages() -> Rendering:
    """Render every public page as an anonymous visitor over HTTPS gets it, in this process.

    Every request is a secure one (``secure=True``): behind the TLS proxy (``SECURE_SSL_REDIRECT``) a
    plain-HTTP request is answered with a redirect, not the page. A page that answers anything but 200
    (a redirect, a 404, an error) is a failure of the whole run, never silently left out."""
    client = Client(HTTP_HOST=_site_host(), raise_request_exception=False)
    approvers = {
        article.get_absolute_url(): article.approved_version.approved_by.name
        for article in Article.objects.published()
        .select_related("approved_version__approved_by")
        .only("slug", "language", "approved_version__approved_by__name")
    }
    result = Rendering()
    for url in public_urls():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            answer = str(response.status_code)
            if location := response.get("Location"):
                answer += f" to {location}"
            result.failures.append((url, answer))
            continue
        html = normalise(self_contained(response.content.decode(response.charset or "utf-8")))
        digest = hashlib.sha256(html.encode()).hexdigest()
        result.pages.append(RenderedPage(url, html, digest, approvers.get(url.split("?")[0], "")))
    return result


# Capturing -----------------------------------------------------------------------------------------


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


# Export --------------------------------------------------------------------------------------------


def file_name(capture: ArchiveCapture) -> str:
    local = timezone.localtime(capture.captured_at)
    path = slugify(capture.url.replace("/", " ").replace("?", " ").replace("=", " ")) or "home"
    return f"pages/{local:%Y%m%d-%H%M%S}-{path[:80]}-{capture.sha256[:12]}.html"


def ny_time(value: datetime) -> str:
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def run_manifest(run: ArchiveRun, pages: list[tuple[str, str]]) -> dict:
    """What one run saw: its time, trigger, reason, outcome and every page's address with the sha256 of
    its copy. Its digest (``manifest_digest``) is stored on the run when it is captured and written into
    every export, so a copy of an export cannot be altered, pages and manifest together, unnoticed."""
    return {
        "run": run.pk,
        "started_at": timezone.localtime(run.started_at, ZoneInfo(settings.TIME_ZONE)).isoformat(),
        "trigger": run.trigger,
        "reason": run.reason,
        "status": run.status,
        "error": run.error,
        "pages": [{"url": url, "sha256": sha256} for url, sha256 in sorted(pages)],
    }


def manifest_bytes(manifest: dict) -> bytes:
    """The one spelling of a run's manifest (sorted keys, fixed indentation), so its digest is stable."""
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def manifest_digest(manifest: dict) -> str:
    return hashlib.sha256(manifest_bytes(manifest)).hexdigest()


def run_manifest_file(run: ArchiveRun) -> str:
    return f"runs/{timezone.localtime(run.started_at):%Y%m%d-%H%M%S}-run{run.pk}.json"


def export_zip(out, *, since: date, until: date | None = None) -> dict:
    """Write a zip with manifest.json, each run's own manifest under runs/ and the HTML copies of every
    run in [since, until] (New York dates), including copies stored earlier that those runs still
    showed. Returns manifest.json's content plus, under "digests", the sha256 of manifest.json and of
    each run's manifest file as written (for the sidecar file ``export_archive`` writes)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(since, time.min, tz)
    runs = ArchiveRun.objects.filter(started_at__gte=start).order_by("started_at", "pk")
    if until:
        runs = runs.filter(started_at__lt=datetime.combine(until + timedelta(days=1), time.min, tz))
    runs = list(runs.prefetch_related("pages__capture"))
    captures: dict[int, ArchiveCapture] = {}
    manifest_runs = []
    run_files: dict[str, bytes] = {}
    for run in runs:
        entries = []
        for page in run.pages.all():
            capture = page.capture
            captures[capture.pk] = capture
            entries.append({"url": page.url, "sha256": capture.sha256, "file": file_name(capture)})
        data = manifest_bytes(run_manifest(run, [(entry["url"], entry["sha256"]) for entry in entries]))
        digest = hashlib.sha256(data).hexdigest()
        run_files[run_manifest_file(run)] = data
        manifest_runs.append(
            {
                "run": run.pk,
                "started_at": ny_time(run.started_at),
                "trigger": run.get_trigger_display(),
                "reason": run.reason,
                "status": run.status,
                "error": run.error,
                "manifest_file": run_manifest_file(run),
                "manifest_sha256": digest,
                # What the run row recorded at capture time ("" for runs captured before digests were kept).
                "recorded_manifest_sha256": run.manifest_sha256,
                "pages": entries,
            }
        )
    manifest = {
        "site": settings.SITE_URL,
        "firm": settings.FIRM["name"],
        "exported_at": ny_time(timezone.now()),
        "time_zone": settings.TIME_ZONE,
        "since": since.isoformat(),
        "until": until.isoformat() if until else None,
        "about": "Copies of the public website as visitors saw it. Each file is the page's HTML with its "
        "stylesheet and images inlined; sha256 is of the file's bytes. Each run's own manifest (runs/) lists "
        "the pages it saw with their sha256; the sha256 of that file was recorded with the run when it was "
        "captured, so comparing the two shows that neither the pages nor the manifest were altered.",
        "captures": [
            {
                "url": capture.url,
                "captured_at": ny_time(capture.captured_at),
                "reason": capture.reason,
                "sha256": capture.sha256,
                "approving_attorney": capture.approved_by,
                "size": capture.size,
                "file": file_name(capture),
            }
            for capture in sorted(captures.values(), key=lambda c: (c.captured_at, c.url))
        ],
        "runs": manifest_runs,
    }
    manifest_json = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_json)
        for name, data in run_files.items():
            archive.writestr(name, data)
        for capture in captures.values():
            archive.writestr(file_name(capture), capture.html())
        archive.writestr("index.html", _index_html(manifest))
    digests = {"manifest.json": hashlib.sha256(manifest_json).hexdigest()}
    digests.update({name: hashlib.sha256(data).hexdigest() for name, data in run_files.items()})
    return {**manifest, "digests": digests}


def _index_html(manifest: dict) -> str:
    """A plain table of contents for whoever opens the zip without reading JSON."""
    from django.utils.html import escape

    rows = "\n".join(
        f'<tr><td>{escape(c["captured_at"])}</td><td><a href="{escape(c["file"])}">{escape(c["url"])}</a></td>'
        f"<td>{escape(c['reason'])}</td><td>{escape(c['approving_attorney'])}</td><td><code>{c['sha256']}</code></td></tr>"
        for c in manifest["captures"]
    )
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Website archive</title>'
        f"<h1>Website archive of {escape(manifest['firm'])}</h1>"
        f"<p>{escape(manifest['site'])}, runs from {escape(manifest['since'])}"
        f"{' to ' + escape(manifest['until']) if manifest['until'] else ''}; times are New York time.</p>"
        "<table><tr><th>Captured</th><th>Page</th><th>Reason</th><th>Approving attorney</th><th>sha256</th></tr>"
        f"{rows}</table></html>"
    )


def gunzip(data: bytes) -> bytes:
    return gzip.GzipFile(fileobj=io.BytesIO(bytes(data))).read()

"""The advertising archive: dated, hashed copies of every public page as visitors saw it.

New York's Rule 7.1(k) asks a firm to keep copies of its website: at launch, after major changes and at
least every 90 days, for the retention period. ``capture_site`` renders every public page in-process
(the same views, templates and page cache visitors get, as an anonymous visitor), makes each page
self-contained (the stylesheet and images inlined, so it reads offline), blanks what changes on every
request (CSP nonces, CSRF and form-timer tokens) so that an unchanged page hashes the same, and stores a
gzip-compressed copy with its sha256 only when the page differs from the latest copy of that address.
Each run (``ArchiveRun``) lists every page it saw, pointing at the stored copy, so a run that found
nothing new still records what the site looked like then.

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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
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
IMAGE_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]+)(")')


@dataclass
class RenderedPage:
    url: str
    html: str
    sha256: str
    approved_by: str


# Rendering -----------------------------------------------------------------------------------------


def public_urls() -> list[str]:
    """Every public page: the sitemaps' pages (home, about, disclaimer, privacy, article list, practice
    areas, each published article), every page of the article list, and the form and its thanks page."""
    urls: list[str] = []
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        for item in sitemap.items():
            urls.append(sitemap.location(item))
    from articles.views import LISTING_PAGE_SIZE

    pages = -(-Article.objects.published().count() // LISTING_PAGE_SIZE)
    list_url = reverse("articles:list")
    urls += [f"{list_url}?page={number}" for number in range(2, pages + 1)]
    for language, _name in settings.LANGUAGES:  # the form in every language the site speaks
        with translation.override(language):
            for name in EXTRA_URL_NAMES:
                try:
                    urls.append(reverse(name))
                except NoReverseMatch:
                    continue
    return list(dict.fromkeys(urls))


def _site_host() -> tuple[str, bool]:
    """The Host header (and scheme) the archive's requests use: SITE_URL's, if the site answers to it."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.netloc
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    return host, parts.scheme == "https"


def _static_file(url: str) -> bytes | None:
    """The bytes of one of our static files, or None (left as a link) for anything else: a missing file, or
    an address that tries to leave the static directory (`/static/../../etc/passwd`), which Django's storage
    refuses with SuspiciousFileOperation; one bad image in one article must not stop the whole capture."""
    if not url.startswith(settings.STATIC_URL):
        return None
    name = unquote(url[len(settings.STATIC_URL) :].split("?")[0].split("#")[0])
    if ".." in name.replace("\\", "/").split("/"):
        return None
    try:
        try:
            with staticfiles_storage.open(name) as handle:
                return handle.read()
        except (OSError, ValueError):
            path = finders.find(name)
            if path:
                with open(path, "rb") as handle:
                    return handle.read()
    except SuspiciousFileOperation:
        return None
    return None


def self_contained(html: str) -> str:
    """Inline the stylesheet and images, so the copy looks the same offline and years later."""

    def stylesheet(match):
        data = _static_file(match.group(1))
        if data is None:
            return match.group(0)
        return "<style>\n" + data.decode("utf-8", errors="replace") + "\n</style>"

    def image(match):
        data = _static_file(match.group(2))
        if data is None:
            return match.group(0)
        kind = mimetypes.guess_type(match.group(2).split("?")[0])[0] or "application/octet-stream"
        return f"{match.group(1)}data:{kind};base64,{base64.b64encode(data).decode()}{match.group(3)}"

    return IMAGE_SRC.sub(image, STYLESHEET.sub(stylesheet, html))


def normalise(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def render_pages() -> list[RenderedPage]:
    """Render every public page as an anonymous visitor would get it, in this process."""
    host, secure = _site_host()
    client = Client(HTTP_HOST=host, secure=secure)
    approvers = {
        article.get_absolute_url(): article.approved_version.approved_by.name
        for article in Article.objects.published()
        .select_related("approved_version__approved_by")
        .only("slug", "approved_version__approved_by__name")
    }
    pages = []
    for url in public_urls():
        response = client.get(url)
        if response.status_code != 200:
            logger.warning("archive: %s answered %s; not captured", url, response.status_code)
            continue
        html = normalise(self_contained(response.content.decode(response.charset or "utf-8")))
        digest = hashlib.sha256(html.encode()).hexdigest()
        pages.append(RenderedPage(url, html, digest, approvers.get(url.split("?")[0], "")))
    return pages


# Capturing -----------------------------------------------------------------------------------------


def capture_site(*, trigger: str, reason: str) -> ArchiveRun:
    """Render every public page and store the ones that changed since their latest copy."""
    now = timezone.now()
    pages = render_pages()
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
        run.save(update_fields=["page_count", "stored_count"])
    logger.info("archive: %s run %s: %s pages, %s new copies", trigger, run.pk, len(pages), stored)
    return run


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
        if state is None or state.content_signature == signature:
            return None
        old_version = state.content_signature.partition(".")[0]
        if not state.content_signature:
            reason = "First capture of the site"
        elif old_version == str(version) and passed:
            reason = "A scheduled article went live"
        else:
            reason = "Public content changed"
        run = capture_site(trigger=ArchiveRun.Trigger.CHANGE, reason=reason)
        state.content_signature = signature
        state.save(update_fields=["content_signature"])
    return run


def capture_if_due(now=None) -> ArchiveRun | None:
    """The periodic capture, once per ARCHIVE_PERIOD however many workers ask at the same moment."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state(skip_locked=False)  # wait for the other worker, then see its capture
        if state.last_periodic_at and now - state.last_periodic_at < ARCHIVE_PERIOD:
            return None
        run = capture_site(
            trigger=ArchiveRun.Trigger.PERIODIC, reason="Periodic capture (at least every 90 days)"
        )
        state.last_periodic_at = now
        state.save(update_fields=["last_periodic_at"])
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


def export_zip(out, *, since: date, until: date | None = None) -> dict:
    """Write a zip with manifest.json and the HTML copies of every run in [since, until] (New York dates),
    including copies stored earlier that those runs still showed. Returns the manifest."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(since, time.min, tz)
    runs = ArchiveRun.objects.filter(started_at__gte=start).order_by("started_at", "pk")
    if until:
        runs = runs.filter(started_at__lt=datetime.combine(until + timedelta(days=1), time.min, tz))
    runs = list(runs.prefetch_related("pages__capture"))
    captures: dict[int, ArchiveCapture] = {}
    manifest_runs = []
    for run in runs:
        entries = []
        for page in run.pages.all():
            capture = page.capture
            captures[capture.pk] = capture
            entries.append({"url": page.url, "sha256": capture.sha256, "file": file_name(capture)})
        manifest_runs.append(
            {
                "started_at": ny_time(run.started_at),
                "trigger": run.get_trigger_display(),
                "reason": run.reason,
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
        "stylesheet and images inlined; sha256 is of the file's bytes. Open any file in a web browser.",
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
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for capture in captures.values():
            archive.writestr(file_name(capture), capture.html())
        archive.writestr("index.html", _index_html(manifest))
    return manifest


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

"""Exporting the advertising archive (manage.py export_archive): a zip of the copies of every run in a period,
each run's own manifest and its sha256, readable and checkable offline."""

import gzip
import hashlib
import io
import json
import zipfile
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from archive.models import ArchiveCapture, ArchiveRun


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

"""The advertising archive: dated, hashed copies of every public page (archive/)."""

import hashlib
import io
import json
import re
import threading
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from archive import capture as capturing
from archive import export, rendering
from archive.models import ArchiveCapture, ArchiveRun, ArchiveState
from tests.factories import ArticleFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    area = PracticeAreaFactory(name="Medical malpractice", slug="medical-malpractice")
    return ArticleFactory(title="What a missed diagnosis means", practice_area=area)


def captured_urls(run: ArchiveRun) -> set[str]:
    return set(run.pages.values_list("url", flat=True))


def test_archive_site_captures_every_public_page_once(site, capsys):
    call_command("archive_site", reason="Launch")
    run = ArchiveRun.objects.get()
    assert run.trigger == ArchiveRun.Trigger.COMMAND and run.reason == "Launch"
    urls = captured_urls(run)
    for name in ["home", "about", "disclaimer", "privacy", "articles:list", "articles:practice_areas"]:
        assert reverse(name) in urls, name
    assert site.get_absolute_url() in urls
    assert site.practice_area.get_absolute_url() in urls
    assert reverse("consultations:create") in urls
    assert "/es/consulta/" in urls  # the Spanish form too
    assert run.page_count == len(urls) == run.stored_count
    capture = ArchiveCapture.objects.get(url=site.get_absolute_url())
    html = capture.html()
    assert capture.size == len(html) and len(bytes(capture.html_gzip)) < capture.size
    assert hashlib.sha256(html).hexdigest() == capture.sha256
    assert b"What a missed diagnosis means" in html
    assert b"<style>" in html and b'rel="stylesheet"' not in html  # reads the same offline
    assert capture.approved_by == site.approved_version.approved_by.name
    out = capsys.readouterr().out
    assert f"Archive run {run.pk}: {run.page_count} pages captured" in out
    assert f"Manifest sha256: {run.manifest_sha256}" in out and len(run.manifest_sha256) == 64


def test_identical_pages_are_not_stored_twice_despite_nonces_and_form_tokens(site):
    first = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="one")
    second = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="two")
    assert first.stored_count == first.page_count > 0
    assert second.stored_count == 0  # the form's CSRF token, timer and the CSP nonces differ every time
    assert captured_urls(second) == captured_urls(first)
    form = ArchiveCapture.objects.get(url=reverse("consultations:create")).html().decode()
    assert 'name="csrfmiddlewaretoken" value=""' in form
    assert 'nonce="' not in form


def test_a_content_change_is_captured_by_the_worker_job(site, django_capture_on_commit_callbacks):
    assert capturing.capture_if_changed().reason == "First capture of the site"
    assert capturing.capture_if_changed() is None  # nothing changed since
    with django_capture_on_commit_callbacks(execute=True):
        site.title = "A better title"
        site.save()
    unapproved = capturing.capture_if_changed()  # the version moved, but readers see the approved text
    assert unapproved.page_count > 0 and unapproved.stored_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        site.practice_area.summary = "A new summary readers see."
        site.practice_area.save()
    run = capturing.capture_if_changed()
    assert run.reason == "Public content changed"
    changed = set(run.captures.values_list("url", flat=True))
    assert site.practice_area.get_absolute_url() in changed
    assert site.get_absolute_url() not in changed


def test_a_scheduled_article_going_live_is_captured_with_no_save(site, django_capture_on_commit_callbacks):
    goes_live = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        later = ArticleFactory.scheduled(when=goes_live, title="Goes live by itself")
    capturing.capture_if_changed()
    assert not ArchiveCapture.objects.filter(url=later.get_absolute_url()).exists()
    with time_machine.travel(goes_live + timedelta(minutes=1)):
        run = capturing.capture_if_changed()  # no save happened: the publication time passed
        assert run is not None
        assert run.reason == "A scheduled article went live"
        capture = ArchiveCapture.objects.get(url=later.get_absolute_url())
        assert b"Goes live by itself" in capture.html()
        assert b"Goes live by itself" in ArchiveCapture.objects.filter(url="/").latest("captured_at").html()
        assert capturing.capture_if_changed() is None


def test_the_periodic_capture_waits_90_days(site):
    assert capturing.capture_if_due().trigger == ArchiveRun.Trigger.PERIODIC
    assert capturing.capture_if_due() is None
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert capturing.capture_if_due() is None
    with time_machine.travel(timezone.now() + timedelta(days=90, minutes=1)):
        assert capturing.capture_if_due() is not None
    assert ArchiveRun.objects.filter(trigger=ArchiveRun.Trigger.PERIODIC).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_make_one_90_day_capture():
    ArticleFactory()
    ArchiveState.objects.all().delete()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(capturing.capture_if_due())
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(1 for run in results if run is not None) == 1
    assert ArchiveRun.objects.filter(trigger=ArchiveRun.Trigger.PERIODIC).count() == 1


def test_export_zip_has_a_manifest_whose_hashes_match_the_files(site, tmp_path):
    call_command("archive_site", reason="Launch")
    site.body = "## New\n\nNew words.\n"
    site.save()
    from articles.approval import record_approval

    record_approval(article=site, approved_by=site.reviewed_by)
    call_command("archive_site", reason="After an edit")
    out = tmp_path / "archive.zip"
    today = timezone.localdate().isoformat()
    call_command("export_archive", str(out), since=today, until=today)
    with zipfile.ZipFile(out) as exported:
        manifest = json.loads(exported.read("manifest.json"))
        assert len(manifest["runs"]) == 2
        assert len(manifest["captures"]) == ArchiveCapture.objects.count()
        for entry in manifest["captures"]:
            data = exported.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
            assert entry["captured_at"][-6:] in {"-05:00", "-04:00"}  # New York time with its offset
            assert entry["reason"] in {"Launch", "After an edit"}
        for run in manifest["runs"]:
            for page in run["pages"]:
                assert page["file"] in exported.namelist()
        article = [c for c in manifest["captures"] if c["url"] == site.get_absolute_url()]
        assert len(article) == 2 and all(c["approving_attorney"] == site.reviewed_by.name for c in article)
        assert b"New words." in exported.read(article[-1]["file"])
        assert b"<table>" in exported.read("index.html")


def test_export_before_the_first_capture_is_empty_and_bad_dates_are_refused(tmp_path):
    buffer = io.BytesIO()
    manifest = export.export_zip(buffer, since=timezone.localdate())
    assert manifest["captures"] == [] and manifest["runs"] == []
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("export_archive", str(tmp_path / "x.zip"), since="12/01/2026")
    with pytest.raises(CommandError):
        call_command("export_archive", str(tmp_path / "x.zip"), since="2026-12-02", until="2026-12-01")


def test_purge_keeps_copies_a_recent_run_still_shows(site, settings):
    settings.ARCHIVE_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    first = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="old")
    site.practice_area.summary = "Changed after the first capture."
    site.practice_area.save()
    second = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="old too")
    ArchiveRun.objects.filter(pk__in=[first.pk, second.pk]).update(started_at=long_ago)
    ArchiveCapture.objects.update(captured_at=long_ago)
    recent = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="recent")
    assert recent.stored_count == 0  # it points at the old copies
    area_url = site.practice_area.get_absolute_url()
    replaced = ArchiveCapture.objects.filter(url=area_url).order_by("pk").first()  # before the change
    call_command("purge_archive")
    assert list(ArchiveRun.objects.all()) == [recent]
    assert not ArchiveCapture.objects.filter(pk=replaced.pk).exists()  # no run shows it any more
    assert ArchiveCapture.objects.count() == recent.page_count  # everything the recent run shows is kept
    assert b"Changed after the first capture." in ArchiveCapture.objects.get(url=area_url).html()


def test_staff_open_a_copy_as_it_looked_sandboxed_with_a_banner(site, admin_client, client):
    capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="Launch")
    capture = ArchiveCapture.objects.get(url=site.get_absolute_url())
    listing = admin_client.get(reverse("admin:archive_archivecapture_changelist")).content.decode()
    assert site.get_absolute_url() in listing and "Open as it looked" in listing
    response = admin_client.get(reverse("admin:archive_archivecapture_open", args=[capture.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "Archive copy, not the live site." in page
    assert "What a missed diagnosis means" in page
    assert "no-store" in response["Cache-Control"]
    # Not for visitors.
    assert client.get(reverse("admin:archive_archivecapture_open", args=[capture.pk])).status_code == 302


def test_archive_rows_cannot_be_added_changed_or_deleted_in_the_admin(site, admin_client):
    run = capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="Launch")
    capture = ArchiveCapture.objects.get(url="/")
    change = reverse("admin:archive_archivecapture_change", args=[capture.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"url": "/rewritten/"}).status_code == 403
    assert admin_client.get(reverse("admin:archive_archivecapture_add")).status_code == 403
    delete = reverse("admin:archive_archivecapture_delete", args=[capture.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:archive_archiverun_change", args=[run.pk])).status_code == 200
    run_delete = reverse("admin:archive_archiverun_delete", args=[run.pk])
    assert admin_client.post(run_delete, {"post": "yes"}).status_code == 403
    capture.refresh_from_db()
    assert capture.url == "/"


def test_editors_may_look_at_the_archive_but_visitors_and_non_staff_may_not(
    site, client, editor, django_user_model
):
    capturing.capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason="Launch")
    changelist = reverse("admin:archive_archivecapture_changelist")
    assert client.get(changelist).status_code == 302  # to the sign-in page
    client.force_login(editor)
    assert client.get(changelist).status_code == 200
    outsider = django_user_model.objects.create_user("outsider", password="x")  # not staff
    client.force_login(outsider)
    assert client.get(changelist).status_code == 302


# Production: behind the TLS proxy, both languages, uploads, failing loudly, verifiable exports ---------


@pytest.fixture
def behind_tls_proxy(settings):
    """What lawsite/settings/ sets for a deploy as README "Deploying" describes it: DJANGO_DEBUG=0,
    DJANGO_BEHIND_TLS_PROXY=1, an https SITE_URL and DJANGO_ALLOWED_HOSTS its host name."""
    settings.DEBUG = False
    settings.SITE_URL = "https://www.example.org"
    settings.ALLOWED_HOSTS = ["www.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.BEHIND_TLS_PROXY = True
    return settings


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def full_site():
    """The demo content (English and Spanish articles, practice areas, people), one person with an
    uploaded photo and one article with an uploaded image in its text."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from articles import photos
    from articles.models import Person
    from tests.articles.test_people import portrait_upload

    call_command("load_demo_content", stdout=io.StringIO())
    person = Person.objects.order_by("order", "pk").first()
    upload = portrait_upload()
    person.photo_renditions = photos.make_renditions(upload, stem=person.slug)
    person.photo.save(f"{person.slug}.jpg", ContentFile(photos.cleaned_original(upload).read()), save=False)
    person.save()
    image = default_storage.save("articles/diagram.png", ContentFile(png_bytes()))
    article = ArticleFactory(
        title="How the steps of a claim fit together",
        body=f"Intro.\n\n## The steps\n\n![The steps of a claim](/media/{image})\n\n## Next\n\nText.\n",
    )
    return person, article


def sitemap_paths_served(settings) -> set[str]:
    """The addresses /sitemap.xml gives search engines, fetched as they fetch it (over HTTPS)."""
    from django.test import Client

    response = Client(HTTP_HOST="www.example.org").get("/sitemap.xml", secure=True)
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert all(location.startswith(settings.SITE_URL + "/") for location in locations)
    return {location.removeprefix(settings.SITE_URL) for location in locations}


def test_a_capture_behind_the_tls_proxy_stores_every_sitemap_page_of_both_languages(
    behind_tls_proxy, full_site, capsys
):
    person, article = full_site
    call_command("archive_site", reason="Launch")
    run = ArchiveRun.objects.get()
    assert run.status == ArchiveRun.Status.DONE and run.error == ""
    urls = captured_urls(run)
    in_sitemap = sitemap_paths_served(behind_tls_proxy)
    spanish = {url for url in in_sitemap if url.startswith("/es/")}
    assert len(spanish) >= 10 and len(in_sitemap - spanish) >= 10
    assert in_sitemap <= urls, sorted(in_sitemap - urls)
    forms = {"/consultation/", "/consultation/thanks/", "/es/consulta/", "/es/consulta/gracias/"}
    assert forms <= urls
    assert urls == in_sitemap | forms  # nothing else (the demo's article list is a single page)
    assert run.page_count == len(urls) == run.stored_count
    assert f"{run.page_count} pages captured" in capsys.readouterr().out

    home = ArchiveCapture.objects.get(url="/").html().decode()
    assert "Attorney Advertising" in home and "<style>" in home
    # The uploaded photo (both languages' profile pages) and the article's image are in the copy itself.
    for url in [person.get_absolute_url(), f"/es/equipo/{person.slug}/"]:
        page = ArchiveCapture.objects.get(url=url).html().decode()
        assert 'src="data:image/jpeg;base64,' in page, url
        assert "/media/" not in page and "<source" not in page and "srcset=" not in page
    page = ArchiveCapture.objects.get(url=article.get_absolute_url()).html().decode()
    assert 'src="data:image/png;base64,' in page and "/media/articles/" not in page


def test_an_asset_outside_its_folder_is_skipped_with_a_warning_not_the_whole_capture(caplog):
    html = (
        '<img src="/static/../../etc/passwd" alt=""><img src="/media/../../../etc/passwd" alt="">'
        '<img src="/static/img/favicon.svg" alt="">'
    )
    out = rendering.self_contained(html)
    assert '<img src="/static/../../etc/passwd" alt="">' in out
    assert '<img src="/media/../../../etc/passwd" alt="">' in out
    assert 'src="data:image/svg+xml;base64,' in out  # the good one is still inlined
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("/static/../../etc/passwd" in message for message in warnings), warnings
    assert any("/media/../../../etc/passwd" in message for message in warnings), warnings


def test_a_page_answering_500_fails_the_run_loudly_and_the_worker_retries_with_back_off(
    behind_tls_proxy, site, monkeypatch, caplog
):
    from django.core.management import CommandError

    from articles.views import PracticeAreaDetailView
    from outbox.jobs import run_all as run_site_jobs

    def broken(self, **kwargs):
        raise RuntimeError("a broken template tag")

    area_url = site.practice_area.get_absolute_url()
    monkeypatch.setattr(PracticeAreaDetailView, "get_context_data", broken)
    with pytest.raises(CommandError, match=f"{area_url} \\(500\\)"):
        call_command("archive_site", reason="Launch")
    failed = ArchiveRun.objects.get()
    assert failed.status == ArchiveRun.Status.FAILED and area_url in failed.error
    errors = [
        r.getMessage() for r in caplog.records if r.levelname == "ERROR" and r.name == "archive.capture"
    ]
    assert len(errors) == 1 and area_url in errors[0] and "FAILED" in errors[0]

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        run_site_jobs()  # the worker's pass: the first capture of the site fails
    state = ArchiveState.objects.get()
    change = ArchiveRun.objects.filter(trigger=ArchiveRun.Trigger.CHANGE).get()
    assert change.status == ArchiveRun.Status.FAILED
    assert not ArchiveRun.objects.filter(trigger=ArchiveRun.Trigger.PERIODIC).exists()  # one try per pass
    assert state.failures == 1 and state.retry_at == start + timedelta(minutes=5)
    assert state.content_signature == "" and state.last_periodic_at is None  # still to be captured

    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        run_site_jobs()  # waiting
    assert ArchiveRun.objects.count() == 2
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        run_site_jobs()  # tries again, fails again: waits twice as long
    state.refresh_from_db()
    assert ArchiveRun.objects.filter(status=ArchiveRun.Status.FAILED).count() == 3
    assert state.failures == 2 and state.retry_at == start + timedelta(minutes=6 + 10)

    monkeypatch.undo()  # the page is fixed
    with time_machine.travel(start + timedelta(minutes=17), tick=False):
        run_site_jobs()
    state.refresh_from_db()
    assert state.failures == 0 and state.retry_at is None and state.content_signature
    assert state.last_periodic_at is not None
    latest = ArchiveRun.objects.filter(status=ArchiveRun.Status.DONE)
    assert {run.trigger for run in latest} == {ArchiveRun.Trigger.CHANGE, ArchiveRun.Trigger.PERIODIC}
    assert all(area_url in captured_urls(run) for run in latest)


def test_a_failed_capture_sends_one_alert_however_often_the_worker_retries(
    site, monkeypatch, mailoutbox, settings
):
    from articles.views import PracticeAreaDetailView
    from outbox.jobs import run_all
    from outbox.worker import drain

    settings.INTAKE_DIGEST = False  # the only email here is the archive's

    def broken(self, **kwargs):
        raise RuntimeError("a broken template tag")

    def worker_pass(at):
        with time_machine.travel(at, tick=False):
            run_all()
            drain()

    area_url = site.practice_area.get_absolute_url()
    monkeypatch.setattr(PracticeAreaDetailView, "get_context_data", broken)
    start = timezone.now()
    for minutes in (0, 6, 17, 40):  # the first try, then three retries, each after its back-off
        worker_pass(start + timedelta(minutes=minutes))
    assert ArchiveRun.objects.filter(status=ArchiveRun.Status.FAILED).count() == 4
    (alert,) = mailoutbox
    first = ArchiveRun.objects.order_by("started_at", "pk").first()
    assert alert.to == settings.FIRM_ALERT_EMAILS
    assert alert.subject == "Advertising archive: a capture of the website failed"
    assert f"{area_url} (500)" in alert.body
    assert f"/admin/archive/archiverun/{first.pk}/change/" in alert.body

    monkeypatch.undo()  # fixed: the next pass captures the site, and sends nothing
    worker_pass(start + timedelta(minutes=81))
    assert ArchiveState.objects.get().failures == 0 and len(mailoutbox) == 1

    # Broken again at the next periodic capture: a new failure, a new alert.
    monkeypatch.setattr(PracticeAreaDetailView, "get_context_data", broken)
    worker_pass(start + timedelta(days=91))
    assert [message.subject for message in mailoutbox] == [alert.subject, alert.subject]


def test_an_exported_zip_can_be_checked_against_the_digest_on_the_run(site, tmp_path, capsys):
    call_command("archive_site", reason="Launch")
    run = ArchiveRun.objects.get()
    out = tmp_path / "archive.zip"
    today = timezone.localdate().isoformat()
    call_command("export_archive", str(out), since=today)
    printed = capsys.readouterr().out
    assert f"sha256 {run.manifest_sha256} matches the run's record" in printed

    sidecar = dict(
        reversed(line.split("  ", 1)) for line in (tmp_path / "archive.zip.sha256").read_text().splitlines()
    )
    with zipfile.ZipFile(out) as exported:
        for name, digest in sidecar.items():  # what `sha256sum -c archive.zip.sha256` checks once unzipped
            assert hashlib.sha256(exported.read(name)).hexdigest() == digest, name
        manifest = json.loads(exported.read("manifest.json"))
        (entry,) = manifest["runs"]
        run_file = exported.read(entry["manifest_file"])
        assert hashlib.sha256(run_file).hexdigest() == run.manifest_sha256 == sidecar[entry["manifest_file"]]
        pages = json.loads(run_file)["pages"]
        assert {page["url"] for page in pages} == captured_urls(run)
        files = {page["url"]: page["file"] for page in entry["pages"]}
        for page in pages:  # each page's copy is the one the run recorded
            assert hashlib.sha256(exported.read(files[page["url"]])).hexdigest() == page["sha256"]

    # A copy altered in the database no longer matches what the run recorded: the export says so.
    ArchiveCapture.objects.filter(url="/").update(sha256="0" * 64)
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=f"run\\(s\\) {run.pk} differ"):
        call_command("export_archive", str(tmp_path / "again.zip"), since=today)
    assert "DOES NOT MATCH" in capsys.readouterr().out


@pytest.mark.parametrize(
    "address", ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/img/../../../x.png"]
)
def test_an_image_address_leaving_the_static_directory_is_left_as_it_is_not_a_failed_capture(address):
    html = f'<p>x</p><img src="{address}" alt="x">'
    assert rendering.self_contained(html) == html  # not inlined, and no SuspiciousFileOperation


def test_a_capture_survives_an_article_whose_stored_html_has_a_bad_image_path(site):
    # As stored before the Markdown sanitiser refused `..` (articles/markdown.py): the capture goes on.
    bad = '<p>Look</p><img src="/static/../../etc/passwd" alt="x">'
    type(site).objects.filter(pk=site.pk).update(body_html=bad)
    if site.approved_version_id:
        type(site.approved_version).objects.filter(pk=site.approved_version_id).update(body_html=bad)
    call_command("archive_site", reason="Launch")
    assert ArchiveRun.objects.get().page_count > 5
    assert b"/etc/passwd" in ArchiveCapture.objects.get(url=site.get_absolute_url()).html()

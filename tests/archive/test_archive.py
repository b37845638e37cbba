"""The advertising archive: dated, hashed copies of every public page (archive/)."""

import hashlib
import io
import json
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
from archive import export
from archive.models import ArchiveCapture, ArchiveRun, ArchiveState
from tests.factories import ArticleFactory, PracticeAreaFactory, approve_change

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
        approve_change(site.practice_area)  # readers see it once approved
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

    record_approval(obj=site, approved_by=site.reviewed_by)
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
    approve_change(site.practice_area)
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

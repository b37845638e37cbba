"""The advertising archive in production: behind the TLS proxy, both languages, uploads, failing loudly (one
alert, retries with back-off) and exports that can be verified (archive/). The basics: test_archive.py."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from archive import rendering
from archive.models import ArchiveCapture, ArchiveRun, ArchiveState
from tests.factories import ArticleFactory, PracticeAreaFactory, approve_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    area = PracticeAreaFactory(name="Medical malpractice", slug="medical-malpractice")
    return ArticleFactory(title="What a missed diagnosis means", practice_area=area)


def captured_urls(run: ArchiveRun) -> set[str]:
    return set(run.pages.values_list("url", flat=True))


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
    approve_change(person)  # the new photo is public once approved
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
    call_command("archive_site", reason="Launch")
    assert ArchiveRun.objects.get().page_count > 5
    assert b"/etc/passwd" in ArchiveCapture.objects.get(url=site.get_absolute_url()).html()

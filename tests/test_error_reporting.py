"""Error reporting (lawsite/error_reporting.py): what reaches a Sentry-compatible endpoint, and what never does.

The endpoint is a real HTTP server on 127.0.0.1 (tests/sentry_sink.py); the site runs as production runs it
(gunicorn, DEBUG off) with SENTRY_DSN pointing at it."""

import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from articles.page_cache import build_id
from consultations.models import ConsultationRequest
from lawsite import checks
from scripts import processes
from tests.consultations.conftest import valid_data
from tests.helpers import live_database_url
from tests.sentry_sink import SentrySink
from tests.test_production_smoke import fetch

pytestmark = pytest.mark.smoke

# What a visitor types, each distinctive enough that finding it anywhere in what was sent is a leak.
VISITOR = {
    "name": "Zelda Quintanilla-Moss",
    "email": "zelda.quintanilla@example.net",
    "phone": "718-555-0199",
    "what_happened": "The radiologist at Mercyhill misread my scan of the left lung in March.",
    "other_parties": "Dr. Orrin Blackwood, Mercyhill Imaging Partners",
}
AUTHORIZATION = "Bearer tok-9f8e7d6c5b4a"
SESSION_COOKIE = "sessionid=sess-4d3c2b1a0f9e"
FORWARDED_FOR = "198.51.100.23"


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=processes.BASE_DIR,
        env=env,
        timeout=120,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def collected_static():
    """Production settings serve the hashed files `collectstatic` lists (part of the build id, too)."""
    result = manage(processes.production_env(), "collectstatic", "--noinput", "--verbosity", "0")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def sink():
    with SentrySink() as sink:
        yield sink


def test_send_test_error_delivers_one_event_with_the_release_and_environment(sink, collected_static):
    env = processes.production_env(SENTRY_DSN=sink.dsn, SENTRY_ENVIRONMENT="staging")
    result = manage(env, "send_test_error")
    assert result.returncode == 0, result.stderr
    (event,) = sink.wait_for_events(1)
    assert event["exception"]["values"][-1]["type"] == "SentryTestError"
    assert event["release"] == build_id.__wrapped__()  # the same id the page cache uses, computed afresh
    assert event["environment"] == "staging"
    assert event["event_id"] in result.stdout
    assert sink.paths == ["/api/1/envelope/"]
    assert "sentry_key=publickey" in sink.auth[0]
    assert "sys.argv" not in sink.everything  # a command's arguments stay on the server


def test_without_a_dsn_nothing_is_loaded_and_the_test_command_says_so(collected_static):
    env = processes.production_env(SENTRY_DSN="")
    loaded = manage(env, "shell", "--no-imports", "-c", "import sys; print('sentry_sdk' in sys.modules)")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "False"
    result = manage(env, "send_test_error")
    assert result.returncode == 1
    assert "SENTRY_DSN is empty" in result.stderr


def test_a_malformed_dsn_is_named_by_manage_py_check(settings):
    settings.SENTRY_DSN = "not a dsn"
    assert [error.id for error in checks.check_sentry_dsn(None)] == ["lawsite.E050"]
    settings.SENTRY_DSN = "https://abc@o1.ingest.sentry.io/42"
    assert checks.check_sentry_dsn(None) == []


def post(base: str, cookie: str, fields: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        base + "/consultation/",
        data=urllib.parse.urlencode(fields).encode(),
        headers={
            "Cookie": cookie,
            "Origin": base,
            "Referer": base + "/consultation/?article=from-an-article",
            "Authorization": AUTHORIZATION,
            "X-Forwarded-For": FORWARDED_FOR,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


REFUSE_EVERY_REQUEST = """
CREATE FUNCTION test_refuse_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The kind of error that quotes what was being stored: the row's values in the message and the DETAIL.
    RAISE EXCEPTION 'request from % <%> refused', NEW.name, NEW.email
        USING DETAIL = 'phone ' || NEW.phone || '; ' || NEW.what_happened || '; ' || NEW.other_parties;
END $$;
CREATE TRIGGER test_refuse_request BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION test_refuse_request();
"""


@pytest.mark.django_db(transaction=True)
def test_a_failing_consultation_post_is_reported_without_any_personal_data(sink, collected_static, tmp_path):
    env = processes.production_env(
        DATABASE_URL=live_database_url(),
        SENTRY_DSN=sink.dsn,
        SENTRY_ENVIRONMENT="production",
        CONSULTATION_MIN_FILL_SECONDS="0",
    )
    port = processes.free_port()
    site = processes.start_gunicorn(env, port, log_path=tmp_path / "gunicorn.log")
    table = ConsultationRequest._meta.db_table
    try:
        base = f"http://127.0.0.1:{port}"
        status, headers, form_html = fetch(base + "/consultation/")
        assert status == 200
        csrf_cookie = headers["Set-Cookie"].split(";", 1)[0]
        fields = valid_data(
            **VISITOR,
            csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html).group(1),
            started=re.search(r'name="started" value="([^"]+)"', form_html).group(1),
        )
        with connection.cursor() as cursor:
            cursor.execute(REFUSE_EVERY_REQUEST.format(table=table))

        status, body = post(base, f"{csrf_cookie}; {SESSION_COOKIE}", fields)

        assert status == 500
        assert VISITOR["name"] not in body
        (event,) = sink.wait_for_events(1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_refuse_request ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_refuse_request()")
        processes.stop(site)

    # The operator learns what failed, where, and in which release ...
    types = [value["type"] for value in event["exception"]["values"]]
    assert "RaiseException" in types or "InternalError" in types, types
    assert any(frame["function"] == "consultation_create" for frame in frames(event))
    assert event["request"] == {"method": "POST", "url": f"{base}/consultation/"}
    assert event["release"] == build_id.__wrapped__()
    assert event["environment"] == "production"
    assert re.fullmatch(r"[0-9a-f]{32}", event["tags"]["request_id"])
    # ... and nothing about the visitor leaves: not their answers, wherever they were quoted ...
    everything = sink.everything
    for value in VISITOR.values():
        assert value not in everything
    assert "Zelda" not in everything and "Mercyhill" not in everything
    # ... nor the exception's message (it quoted the row), local variables, breadcrumbs, cookies, headers,
    # the query string or the client's address.
    assert {value["value"] for value in event["exception"]["values"]} == {"[removed]"}
    assert all("vars" not in frame for frame in frames(event))
    assert not event.get("breadcrumbs")
    assert "user" not in event
    for secret in (AUTHORIZATION, "tok-9f8e7d6c5b4a", "sess-4d3c2b1a0f9e", csrf_cookie, FORWARDED_FOR):
        assert secret not in everything
    assert "from-an-article" not in everything


def frames(event: dict) -> list[dict]:
    return [
        frame
        for value in event["exception"]["values"]
        for frame in (value.get("stacktrace") or {}).get("frames") or []
    ]


# Run by the worker-like process below: a database error that quotes the refused row, logged at ERROR outside
# any request (as the outbox worker would). The personal values come from the environment, so the source code
# the SDK sends around each frame cannot carry them.
LOG_A_DATABASE_ERROR = """
import logging, os
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TEMP TABLE refused (name text, email text, phone text, CHECK (email = ''))")
    try:
        cursor.execute("INSERT INTO refused VALUES (%s, %s, %s)", [os.environ["V_NAME"], os.environ["V_EMAIL"], os.environ["V_PHONE"]])
    except Exception:
        logging.getLogger("outbox.worker").exception("outbox: could not record the result of email %s", 42)
"""


@pytest.mark.django_db(transaction=True)
def test_an_error_logged_outside_a_request_keeps_its_first_line_without_addresses_or_row_values(
    sink, collected_static
):
    env = processes.production_env(
        DATABASE_URL=live_database_url(),
        SENTRY_DSN=sink.dsn,
        V_NAME=VISITOR["name"],
        V_EMAIL=VISITOR["email"],
        V_PHONE=VISITOR["phone"],
    )
    result = manage(env, "shell", "-c", LOG_A_DATABASE_ERROR)
    assert result.returncode == 0, result.stderr
    (event,) = sink.wait_for_events(1)
    assert event["logentry"]["message"] == "outbox: could not record the result of email %s"
    assert event["logentry"]["params"] == ["42"]
    values = [value["value"] for value in event["exception"]["values"]]
    assert 'new row for relation "refused" violates check constraint "refused_email_check"' in values
    everything = sink.everything
    for value in (VISITOR["name"], VISITOR["email"], VISITOR["phone"], "Failing row"):
        assert value not in everything


def test_an_expected_outage_on_a_request_is_not_reported_but_an_error_elsewhere_is():
    from django.db import OperationalError

    from lawsite.error_reporting import scrub

    outage = OperationalError("connection refused")
    on_a_request = {"request": {"method": "GET", "url": "http://x/about/"}, "exception": {"values": []}}
    assert scrub(on_a_request, {"exc_info": (OperationalError, outage, None)}) is None
    in_the_worker = {"exception": {"values": [{"type": "OperationalError", "value": "connection refused"}]}}
    assert scrub(in_the_worker, {"exc_info": (OperationalError, outage, None)}) is not None

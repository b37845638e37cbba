"""The outbox moved from consultations/ to an app of its own (outbox/), its table and rows with it
(consultations/migrations/0008 and 0009, outbox/migrations/0001). An email still pending when the new code is
deployed must be sent after the upgrade, exactly once; what was already sent is not sent again.

This runs the real upgrade on a scratch database: migrate to the last release's schema, store a request and its
emails as that release did, migrate to today, then run the worker twice against a real SMTP server."""

import subprocess
import sys
import uuid

import psycopg
import pytest
from psycopg import sql

from scripts import processes
from tests.consultations.conftest import SMTPServer
from tests.helpers import live_database_url

BEFORE = ("consultations", "0007_form_token_used_once")  # the last migration before the outbox moved

# Stores what the release before the move stored, with that release's models (its migration state).
SEED = f"""
from datetime import date
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

apps = MigrationExecutor(connection).loader.project_state({BEFORE!r}).apps
Request = apps.get_model("consultations", "ConsultationRequest")
Email = apps.get_model("consultations", "OutboundEmail")
Digest = apps.get_model("consultations", "DigestRun")
request = Request.objects.create(
    name="Sam Okafor", email="sam@example.org", phone="718-555-0199", what_happened="Fell on a step.",
    disclaimer_version="2026-11-25", received_at=timezone.now(),
)
Email.objects.create(kind="firm", consultation=request)  # pending: the worker had not got to it yet
Email.objects.create(kind="visitor", consultation=request, state="sent", sent_at=timezone.now())
run = Digest.objects.create(date=date(2026, 12, 4), open_requests=1)
Email.objects.create(kind="digest", digest_run=run, state="sent", sent_at=timezone.now())
print("request", request.pk)
"""


def scratch_url(name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(live_database_url())
    info["dbname"] = name
    host = info.get("host", "")
    if host.startswith("/"):
        return f"postgresql://{info.get('user', 'postgres')}@/{name}?host={host}"
    password = f":{info['password']}" if info.get("password") else ""
    return f"postgresql://{info.get('user', 'postgres')}{password}@{host}:{info.get('port') or 5432}/{name}"


def server(action: str, name: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(live_database_url())
    info["dbname"] = "postgres"
    with psycopg.connect(psycopg.conninfo.make_conninfo(**info), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if action == "create":
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=processes.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_an_email_pending_before_the_upgrade_is_sent_exactly_once_after_it():
    name = f"test_lawsite_upgrade_{uuid.uuid4().hex[:8]}"
    url = scratch_url(name)
    smtp = SMTPServer(processes.free_port())
    server("create", name)
    smtp.start()
    try:
        env = processes.production_env(DATABASE_URL=url, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5")
        manage(env, "migrate", *BEFORE, "--noinput")
        request_id = int(manage(env, "shell", "-v", "0", "-c", SEED).split()[-1])

        manage(env, "migrate", "--noinput")
        for _ in range(2):  # the second run finds nothing left to send
            manage(env, "run_outbox_worker", "--once")

        assert len(smtp.messages) == 1
        recipients, message = smtp.messages[0]
        assert recipients == ["intake@example.com"]
        assert message["Subject"].endswith(f" — R-{request_id:06d}")
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT e.kind, e.state, e.dedupe_key, t.app_label, t.model, e.object_id "
                "FROM consultations_outboundemail e JOIN django_content_type t ON t.id = e.content_type_id "
                "ORDER BY e.kind"
            ).fetchall()
            assert rows == [
                ("digest", "sent", "digest:2026-12-04", "consultations", "digestrun", 1),
                ("firm", "sent", f"firm:{request_id}", "consultations", "consultationrequest", request_id),
                (
                    "visitor",
                    "sent",
                    f"visitor:{request_id}",
                    "consultations",
                    "consultationrequest",
                    request_id,
                ),
            ]
            # The Intake group may still read emails and send them again: its permissions moved with the model.
            granted = conn.execute(
                "SELECT t.app_label, p.codename FROM auth_group g "
                "JOIN auth_group_permissions gp ON gp.group_id = g.id "
                "JOIN auth_permission p ON p.id = gp.permission_id "
                "JOIN django_content_type t ON t.id = p.content_type_id "
                "WHERE g.name = 'Intake' AND p.codename LIKE '%%outboundemail' ORDER BY p.codename"
            ).fetchall()
            assert granted == [("outbox", "change_outboundemail"), ("outbox", "view_outboundemail")]
    finally:
        smtp.stop()
        server("drop", name)


@pytest.mark.django_db
def test_a_pending_email_row_names_no_narrative():
    """The stored row holds a kind and a link; the text is built when it is sent (outbox/kinds.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'consultations_outboundemail'"
        )
        columns = {row[0] for row in cursor.fetchall()}
    assert columns == {
        "id", "kind", "content_type_id", "object_id", "about_id", "recipient_id", "dedupe_key", "state",
        "attempts", "next_attempt_at", "claimed_at", "lease_until", "last_error", "created_at", "sent_at",
    }  # fmt: skip

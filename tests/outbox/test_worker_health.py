"""/healthz tells when the outbox worker stops, or when email stops going out, without failing the node."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from consultations.services import queue_notifications
from outbox.heartbeat import beat
from outbox.models import OutboundEmail, WorkerHeartbeat
from scripts import processes
from tests.factories import ConsultationRequestFactory
from tests.helpers import live_database_url

pytestmark = pytest.mark.django_db


def health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200  # a stopped worker never takes the node out of the load balancer
    return response.json()


def test_no_worker_ever_seen_is_degraded(client):
    assert health(client) == {
        "status": "ok",
        "cache": "ok",
        "worker": "degraded",
        "worker_seen_seconds_ago": None,
        "oldest_pending_email_seconds": 0,
    }


def test_a_recent_heartbeat_and_an_empty_outbox_is_ok(client):
    beat(force=True)
    body = health(client)
    assert body["worker"] == "ok" and body["worker_seen_seconds_ago"] <= 1
    assert WorkerHeartbeat.objects.count() == 1
    beat(force=True)  # the same host keeps one row
    assert WorkerHeartbeat.objects.count() == 1


def test_a_worker_silent_for_minutes_is_degraded(client, settings):
    beat(force=True)
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_WORKER_STALE_SECONDS + 5)
    with time_machine.travel(later):
        body = health(client)
    assert body["worker"] == "degraded"
    assert body["worker_seen_seconds_ago"] > settings.OUTBOX_WORKER_STALE_SECONDS


def test_an_email_waiting_too_long_is_degraded_though_the_worker_runs(client, settings):
    consultation = ConsultationRequestFactory()
    queue_notifications(consultation, is_new=True)
    waited = settings.OUTBOX_PENDING_ALERT_SECONDS + 60
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(seconds=waited))
    beat(force=True)
    body = health(client)
    assert body["worker"] == "degraded" and body["oldest_pending_email_seconds"] >= waited
    # Nothing about the emails themselves: no address, no name, no kind.
    text = json.dumps(body)
    assert consultation.email not in text and consultation.name not in text and "firm" not in text
    OutboundEmail.objects.update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now()
    )  # sent: nothing waits
    assert health(client)["worker"] == "ok"


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_is_ok_and_stopping_it_turns_the_worker_degraded(settings):
    """The real worker process beats; once it is stopped, /healthz says degraded after the stale time."""
    env = processes.production_env(DATABASE_URL=live_database_url(), OUTBOX_WORKER_STALE_SECONDS="3")
    port = processes.free_port()
    site = processes.start_gunicorn(env, port)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_outbox_worker", "--interval", "0.2"],
        cwd=processes.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def worker_state() -> str:
            from tests.test_production_smoke import fetch

            status, _, body = fetch(f"http://127.0.0.1:{port}/healthz")
            assert status == 200
            return json.loads(body)["worker"]

        deadline = time.monotonic() + 60
        while worker_state() != "ok":
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.3)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        deadline = time.monotonic() + 30
        while worker_state() != "degraded":
            assert time.monotonic() < deadline, "a stopped worker still looked healthy"
            time.sleep(0.5)
    finally:
        if worker.poll() is None:
            processes.stop(worker)
        processes.stop(site)

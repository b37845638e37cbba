"""The morning digest: once per business day at the set New York time, queued by the worker itself."""

import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from consultations.digest import digest_day, queue_digest
from consultations.models import DigestRun
from outbox.models import OutboundEmail
from outbox.sending import build_message
from outbox.worker import drain
from tests.consultations.processes import BASE_DIR, django_env
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
THURSDAY_0845 = datetime(2026, 12, 3, 8, 45, tzinfo=NY)


@pytest.fixture(autouse=True)
def _digest_on(settings):
    settings.INTAKE_DIGEST = True  # tests/conftest.py switches it off for every other test
    settings.INTAKE_DIGEST_TIME = time(8, 30)


def open_request(**fields):
    fields.setdefault("practice_area", PracticeAreaFactory(slug="personal-injury", name="Personal injury"))
    return ConsultationRequestFactory(**fields)


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (THURSDAY_0845, date(2026, 12, 3)),
        (datetime(2026, 12, 3, 8, 29, tzinfo=NY), None),  # too early
        (datetime(2026, 12, 3, 8, 30, tzinfo=NY), date(2026, 12, 3)),
        (datetime(2026, 12, 3, 23, 59, tzinfo=NY), date(2026, 12, 3)),  # a worker that was down catches up
        (datetime(2026, 12, 5, 9, 0, tzinfo=NY), None),  # Saturday
        (datetime(2026, 12, 6, 9, 0, tzinfo=NY), None),  # Sunday
        (datetime(2026, 11, 26, 9, 0, tzinfo=NY), None),  # Thanksgiving
        (datetime(2026, 11, 3, 9, 0, tzinfo=NY), None),  # Election Day (New York)
        (datetime(2026, 2, 12, 9, 0, tzinfo=NY), None),  # Lincoln's Birthday (New York)
        # 13:30 UTC is 08:30 in New York in winter: the setting is New York time, not UTC.
        (datetime(2026, 12, 3, 13, 29, tzinfo=ZoneInfo("UTC")), None),
        (datetime(2026, 12, 3, 13, 30, tzinfo=ZoneInfo("UTC")), date(2026, 12, 3)),
    ],
)
def test_the_digest_is_due_on_business_days_from_the_set_new_york_time(moment, due):
    assert digest_day(moment) == due


def test_the_time_is_configurable_and_the_digest_can_be_switched_off(settings):
    settings.INTAKE_DIGEST_TIME = time(7, 0)
    assert digest_day(datetime(2026, 12, 3, 7, 5, tzinfo=NY)) == date(2026, 12, 3)
    settings.INTAKE_DIGEST = False
    assert digest_day(THURSDAY_0845) is None
    open_request()
    assert queue_digest(THURSDAY_0845) is None and not DigestRun.objects.exists()


def test_queued_once_per_day_however_often_the_worker_looks():
    open_request()
    run = queue_digest(THURSDAY_0845)
    assert run.open_requests == 1 and run.date == date(2026, 12, 3)
    assert queue_digest(THURSDAY_0845 + timedelta(minutes=1)) is None
    assert queue_digest(THURSDAY_0845 + timedelta(hours=5)) is None
    assert OutboundEmail.objects.filter(kind="digest").count() == 1
    # The next business day gets its own.
    assert queue_digest(THURSDAY_0845 + timedelta(days=1)) is not None
    assert OutboundEmail.objects.filter(kind="digest").count() == 2


def test_skipped_when_nothing_is_open():
    ConsultationRequestFactory(status="spam", spam_reason="honeypot")
    ConsultationRequestFactory(status="declined")
    run = queue_digest(THURSDAY_0845)
    assert run.open_requests == 0  # the day is done...
    assert not OutboundEmail.objects.filter(kind="digest").exists()  # ...and nothing is sent
    assert queue_digest(THURSDAY_0845 + timedelta(hours=1)) is None


def test_not_on_a_holiday_or_a_weekend():
    open_request()
    for moment in (
        datetime(2026, 12, 25, 9, tzinfo=NY),  # Christmas
        datetime(2026, 12, 26, 9, tzinfo=NY),  # Saturday
        datetime(2026, 12, 27, 9, tzinfo=NY),  # Sunday
    ):
        assert queue_digest(moment) is None
    assert not DigestRun.objects.exists()


def test_the_digest_lists_open_requests_by_urgency_with_names_and_links_only(time_machine, settings):
    time_machine.move_to(THURSDAY_0845)
    critical = open_request(
        name="Ana Critical",
        incident_date=date(2026, 9, 20),
        public_entity="yes",
        phone="212-555-0101",
        email="ana@example.org",
        what_happened="A city bus ran a red light and hit me at the crossing.",
    )
    overdue = open_request(name="Bo Overdue", received_at=THURSDAY_0845 - timedelta(days=3))
    fresh = open_request(name="Cy Fresh", received_at=THURSDAY_0845 - timedelta(hours=1))
    ConsultationRequestFactory(name="Di Spam", status="spam", spam_reason="honeypot")
    run = queue_digest(THURSDAY_0845)
    message = build_message(OutboundEmail.objects.get(digest_run=run))
    body = message.body
    assert message.to == list(settings.FIRM_INTAKE_EMAILS)
    assert "3 open" in message.subject and "Thu" in message.subject
    assert body.index("Ana Critical") < body.index("Bo Overdue") < body.index("Cy Fresh")
    assert "Notice of claim: 16 days left (est.)" in body
    assert "Overdue: no contact for 3 business days" in body
    assert settings.SITE_URL + critical.get_admin_url() in body
    assert overdue.number in body and fresh.number in body
    assert "Di Spam" not in body
    html = message.alternatives[0].content
    for text in (body, html):
        assert "212-555-0101" not in text and "ana@example.org" not in text
        assert "city bus" not in text and "red light" not in text


def test_the_digest_goes_through_the_outbox_and_alerts_when_it_fails_for_good(smtp_server, settings):
    open_request()
    queue_digest(THURSDAY_0845)
    smtp_server.handler.refuse = {"intake@example.com"}
    drain()
    digest = OutboundEmail.objects.get(kind="digest")
    assert digest.state == "failed"
    alert = OutboundEmail.objects.get(kind="alert", about=digest)
    drain()
    alert.refresh_from_db()
    assert alert.state == "sent"
    subjects = [message["Subject"] for _, message in smtp_server.messages]
    assert subjects == ["Email not delivered: Morning digest, to intake"]


WORKER = """
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import django
import time_machine

django.setup()
from django.core.management import call_command

moment = datetime.fromisoformat(sys.argv[1])
with time_machine.travel(moment, tick=True):
    call_command("run_outbox_worker", "--once")
"""


def run_two_workers_at(moment: datetime, smtp_port: int) -> list[subprocess.CompletedProcess]:
    env = django_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}?timeout=10", INTAKE_DIGEST="1")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, moment.isoformat()],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    for worker in workers:
        try:
            out, err = worker.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, err = worker.communicate()
        outputs.append((worker.returncode, out, err))
    return outputs


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_one_digest(smtp_server):
    open_request(name="Only Once")
    outputs = run_two_workers_at(THURSDAY_0845, smtp_server.port)
    assert [code for code, _, _ in outputs] == [0, 0], outputs
    assert DigestRun.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="digest", state="sent").count() == 1
    digests = [m for _, m in smtp_server.messages if m["Subject"].startswith("Intake digest")]
    assert len(digests) == 1
    assert "Only Once" in digests[0].get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_a_holiday_send_nothing(smtp_server):
    open_request()
    outputs = run_two_workers_at(datetime(2026, 12, 25, 9, 0, tzinfo=NY), smtp_server.port)
    assert [code for code, _, _ in outputs] == [0, 0], outputs
    assert not DigestRun.objects.exists()
    assert smtp_server.messages == []

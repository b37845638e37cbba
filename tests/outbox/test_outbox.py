import smtplib
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationRequest
from outbox.models import OutboundEmail
from outbox.worker import backoff, claim, describe, drain, is_permanent
from tests.consultations.conftest import (
    WHAT_HAPPENED,
    SMTPServer,
    medical_malpractice,
    smtp_mailer,
    valid_data,
)
from tests.consultations.processes import manage
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

NARRATIVE = WHAT_HAPPENED


def submit(client, **overrides) -> ConsultationRequest:
    response = client.post(reverse("consultations:create"), valid_data(**overrides))
    assert response.status_code == 303, response.content.decode()[:2000]
    return ConsultationRequest.objects.latest("pk")


def by_recipient(server) -> dict:
    return {tuple(rcpt): message for rcpt, message in server.messages}


def make_due():
    """Pretend the back-off delay has passed."""
    OutboundEmail.objects.filter(state="pending").update(next_attempt_at=timezone.now())


def test_worker_delivers_both_emails_through_a_real_smtp_server(client, smtp_server, settings):
    medical_malpractice()  # the practice area medical care belongs to
    consultation = submit(client, who="city", article="surgical-errors-explained")
    call_command("run_outbox_worker", once=True)

    messages = by_recipient(smtp_server)
    assert set(messages) == {("intake@example.com",), ("maria@example.org",)}
    firm, visitor = messages[("intake@example.com",)], messages[("maria@example.org",)]

    # Urgency first, from the time-limits table, then the number; nothing the visitor wrote.
    assert firm["Subject"] == "Lawsuit against a public body date may have passed — " + consultation.number
    assert firm["Reply-To"] == "maria@example.org"
    assert firm["From"] == settings.DEFAULT_FROM_EMAIL
    firm_text = firm.get_body(("plain",)).get_content()
    firm_html = firm.get_body(("html",)).get_content()
    for expected in (
        "Maria Alvarez",
        "212-555-0147",
        "Morning",
        "Medical malpractice",
        "A deadline of 90 days or less",
    ):
        assert expected in firm_text and expected in firm_html, expected
    assert "surgical-errors-explained" in firm_text
    assert settings.SITE_URL + consultation.get_admin_url() in firm_text
    assert visitor["Subject"] == "We have your request - Leav & Steinberg LLP"
    assert visitor["Reply-To"] is None
    visitor_text = visitor.get_body(("plain",)).get_content()
    assert consultation.number in visitor_text and "212-766-5222" in visitor_text
    assert "attorney-client relationship" in visitor_text and "What happens next" in visitor_text
    assert visitor.get_body(("html",)) is not None

    for message in (firm, visitor):
        whole = message.as_string()
        # No narrative, no medical details, no other parties: and no echo to the visitor.
        assert "infection was missed" not in whole and "knee" not in whole
        assert "Riverside" not in whole
        for header, value in message.items():
            if header.lower() not in {"to", "reply-to"}:
                assert "Maria" not in value and "maria@" not in value and "555-0147" not in value, header
    assert "Maria" not in visitor.as_string()
    assert set(consultation.emails.values_list("state", flat=True)) == {"sent"}
    assert all(email.sent_at for email in consultation.emails.all())


def test_nothing_is_lost_while_smtp_is_down_and_it_is_delivered_when_it_is_back(client, smtp_port, settings):
    settings.MAILERS = smtp_mailer(smtp_port)  # nothing listens there yet
    consultation = submit(client)
    assert drain() == {"pending": 2}
    for email in consultation.emails.all():
        assert email.state == "pending" and email.attempts == 1
        assert "Connection" in email.last_error or "refused" in email.last_error.lower()
        assert email.next_attempt_at > timezone.now()
    assert drain() == {}  # backing off, not hammering

    server = SMTPServer(smtp_port)
    server.start()
    try:
        make_due()
        assert drain() == {"sent": 2}
    finally:
        server.stop()
    assert len(server.messages) == 2
    assert set(consultation.emails.values_list("state", "attempts")) == {("sent", 2)}


def test_permanently_refused_address_fails_once_and_alerts_staff(client, smtp_server, admin_client):
    smtp_server.handler.refuse = {"maria@example.org"}
    consultation = submit(client)
    drain()
    visitor = consultation.emails.get(kind="visitor")
    assert visitor.state == "failed" and visitor.attempts == 1
    assert visitor.last_error.startswith("recipient refused: 550")
    assert "maria@example.org" not in visitor.last_error
    assert consultation.emails.get(kind="firm").state == "sent"

    alert = OutboundEmail.objects.get(kind="alert")
    assert alert.about == visitor and alert.state == "sent"
    alert_message = by_recipient(smtp_server)[("alerts@example.com",)]
    assert alert_message["Subject"] == "Email not delivered: Confirmation, to the visitor"
    assert consultation.number in alert_message.get_body(("plain",)).get_content()
    assert drain() == {}  # no retry loop

    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "1 email failed for good" in html


def test_retries_stop_after_the_maximum_and_alert(client, smtp_port, settings):
    settings.MAILERS = smtp_mailer(smtp_port)
    settings.OUTBOX_MAX_ATTEMPTS = 3
    consultation = submit(client)
    for _ in range(3):
        drain()
        make_due()
    assert set(consultation.emails.values_list("state", "attempts")) == {("failed", 3)}
    assert OutboundEmail.objects.filter(kind="alert").count() == 2


def test_resend_puts_a_failed_email_back_in_the_queue(client, smtp_server, admin_client):
    smtp_server.handler.refuse = {"maria@example.org"}
    consultation = submit(client)
    drain()
    visitor = consultation.emails.get(kind="visitor")
    smtp_server.handler.refuse = set()
    response = admin_client.post(
        reverse("admin:outbox_outboundemail_changelist"),
        {"action": "action_resend", "_selected_action": [visitor.pk]},
    )
    assert response.status_code == 302
    drain()
    visitor.refresh_from_db()
    assert visitor.state == "sent"
    assert sum(1 for rcpt, _ in smtp_server.messages if rcpt == ["maria@example.org"]) == 1


def test_header_injection_stored_by_other_means_never_reaches_a_header(smtp_server):
    consultation = ConsultationRequestFactory(
        name="Evil\r\nBcc: victim@example.net", email="x@example.org\r\nBcc: victim@example.net"
    )
    OutboundEmail.objects.bulk_create(
        [OutboundEmail(source=consultation, kind=kind) for kind in ("firm", "visitor")]
    )
    drain()
    assert all("victim@example.net" not in rcpt for rcpt, _ in smtp_server.messages)
    firm = by_recipient(smtp_server)[("intake@example.com",)]
    assert firm["Reply-To"] is None and firm["Bcc"] is None
    visitor = consultation.emails.get(kind="visitor")
    assert visitor.state == "failed" and "not valid" in visitor.last_error  # permanent, not retried


def test_failure_classification():
    assert is_permanent(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")}))
    assert not is_permanent(smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"try later")}))
    assert is_permanent(ValueError("Header values may not contain linefeed or carriage return characters"))
    assert is_permanent(smtplib.SMTPDataError(554, b"rejected"))
    assert not is_permanent(smtplib.SMTPDataError(451, b"try later"))
    assert not is_permanent(ConnectionRefusedError(111, "Connection refused"))
    assert not is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not is_permanent(TimeoutError())
    text = describe(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"5.1.1 <a@b.c>: unknown")}))
    assert text == "recipient refused: 550 5.1.1 <<address>>: unknown"


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    for attempts, full in [(1, 30), (2, 60), (3, 120), (6, 960), (10, 3600)]:
        delays = {backoff(attempts).total_seconds() for _ in range(50)}
        assert all(full / 2 <= delay <= full for delay in delays), (attempts, delays)
        assert len(delays) > 1  # jittered


def test_a_claimed_email_is_leased_for_seconds_and_taken_over_once_the_lease_runs_out(client, settings):
    submit(client)
    first, claimed_at = claim(10)
    assert len(first) == 2
    lease_until = set(OutboundEmail.objects.values_list("lease_until", flat=True))
    assert lease_until == {claimed_at + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)}
    assert settings.OUTBOX_LEASE_SECONDS <= 15  # seconds, not the minutes a fixed claim timeout took
    assert claim(10) == ([], None)  # another worker finds nothing while the lease runs
    OutboundEmail.objects.update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )  # its worker stopped renewing
    second, _ = claim(10)
    assert sorted(second) == sorted(first)  # a crashed worker's emails are taken over
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {2}


def test_the_worker_renews_the_lease_of_the_emails_in_its_hands_only(client, settings):
    from outbox import lease, results

    submit(client)
    ids, claimed_at = claim(10)
    results.take(ids[:1], claimed_at)
    try:
        OutboundEmail.objects.update(lease_until=timezone.now() + timedelta(seconds=1))
        assert lease.renew() == 1
        renewed = OutboundEmail.objects.get(pk=ids[0]).lease_until
        assert renewed > timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS - 2)
        assert OutboundEmail.objects.get(pk=ids[1]).lease_until < renewed  # not in hand: left to run out
    finally:
        results.let_go(ids)
    assert lease.renew() == 0


def test_a_second_submission_of_the_same_request_cannot_queue_a_second_email(client):
    from django.db import IntegrityError, transaction

    from consultations.services import queue_notifications

    consultation = submit(client)
    # is_new=True skips the look for existing emails, as a double click racing the first would: the
    # dedupe key ("firm:<request>", unique in the database) still refuses the second.
    with pytest.raises(IntegrityError), transaction.atomic():
        queue_notifications(consultation, is_new=True)
    assert OutboundEmail.objects.filter(consultation=consultation, kind="firm").count() == 1


@pytest.mark.django_db(transaction=True)
def test_worker_process_delivers_within_seconds_and_stops_cleanly_on_sigterm(client, smtp_server):
    worker = manage(
        "run_outbox_worker",
        "--interval",
        "0.5",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}?timeout=5",
    )
    try:
        time.sleep(1.5)  # let it start
        started = time.monotonic()
        submit(client)
        while len(smtp_server.messages) < 2 and time.monotonic() - started < 20:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        assert len(smtp_server.messages) == 2
        assert elapsed < 10
        print(f"\nsubmit -> both emails delivered with the worker running: {elapsed:.2f}s")
    finally:
        worker.terminate()
        out, err = worker.communicate(timeout=20)
    assert worker.returncode == 0, err
    assert "outbox worker stopped" in out


def test_a_phone_only_request_reaches_the_firm_and_names_its_article_by_title(client, smtp_server):
    from tests.factories import ArticleFactory

    ArticleFactory(slug="missed-fracture", title="When a fracture is missed in the emergency room")
    consultation = submit(client, email="", contact_method="phone", article="missed-fracture")
    call_command("run_outbox_worker", once=True)

    messages = by_recipient(smtp_server)
    assert set(messages) == {("intake@example.com",)}  # no confirmation: there is no address to send it to
    firm = messages[("intake@example.com",)]
    assert firm["Reply-To"] is None
    firm_text = firm.get_body(("plain",)).get_content()
    firm_html = firm.get_body(("html",)).get_content()
    assert consultation.number in firm_text and "212-555-0147" in firm_text
    for body in (firm_text, firm_html):
        assert "When a fracture is missed in the emergency room" in body
    assert list(consultation.emails.values_list("kind", "state")) == [("firm", "sent")]


def test_the_confirmation_does_not_repeat_the_warning_about_confidential_details(client, mailoutbox):
    submit(client)
    drain()
    visitor = next(m for m in mailoutbox if m.to == ["maria@example.org"])
    assert "confidential details" not in visitor.body
    assert "attorney-client relationship" in visitor.body

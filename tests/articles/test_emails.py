"""The worker's periodic jobs that email attorneys: approval requests and review reminders."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles.approval import approve
from articles.emails import months_before, queue_approval_requests, queue_review_reminders
from outbox.models import OutboundEmail
from outbox.worker import drain
from tests.factories import ArticleFactory, PersonFactory, approve_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorneys(django_user_model, time_limits):
    """Two attorneys who may approve, and a staff member and an attorney without an account who may not (and
    the time limits approved, so that only what a test makes wait is waiting)."""
    elena = django_user_model.objects.create_user("elena", "elena@firm.example.org", "x", is_staff=True)
    david = django_user_model.objects.create_user("david", "david@firm.example.org", "x", is_staff=True)
    clerk = django_user_model.objects.create_user("clerk", "clerk@firm.example.org", "x", is_staff=True)
    return {
        "elena": PersonFactory(name="Elena Marsh", user=elena),
        "david": PersonFactory(name="David Kessler", user=david),
        "clerk": PersonFactory(name="Clerk", role="staff", user=clerk),
        "nobody": PersonFactory(name="No Account"),
    }


def test_attorneys_are_emailed_once_for_each_text_that_awaits_approval(attorneys, mailoutbox):
    article = ArticleFactory(title="A new article", reviewed_by=attorneys["nobody"], approved=False)
    ArticleFactory(title="Already approved")
    ArticleFactory.draft(title="Still a draft")
    queue_approval_requests()
    queue_approval_requests()  # a second run (or a second worker) queues nothing more
    drain()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["david@firm.example.org", "elena@firm.example.org"]
    assert message.subject == "Waiting for your approval: A new article"
    assert f"/admin/articles/article/{article.pk}/approve/" in message.body  # the approval screen
    assert "A new article" in message.body and "Nothing of this text is shown to readers" in message.body
    assert article.content_hash not in message.body
    html = message.alternatives[0][0]
    assert "A new article" in html

    # Approved: nothing more. Edited after approval: a new email, saying readers keep the approved text.
    approve(obj=article, user=attorneys["elena"].user, shown_hash=article.content_hash)
    queue_approval_requests()
    assert OutboundEmail.objects.count() == 1
    article.body = "## Changed\n\nA changed sentence.\n"
    article.save()
    queue_approval_requests()
    drain()
    assert len(mailoutbox) == 2
    assert "A change to a live article" in mailoutbox[1].body


def test_an_approval_request_with_no_attorney_to_tell_fails_and_alerts_staff(
    mailoutbox, settings, time_limits
):
    ArticleFactory(approved=False)  # its reviewer has no staff account: nobody can approve
    queue_approval_requests()
    drain()
    email = OutboundEmail.objects.get(kind="approval")
    assert email.state == OutboundEmail.State.FAILED
    assert "no recipients" in email.last_error
    assert [m.to for m in mailoutbox] == [settings.FIRM_ALERT_EMAILS]


def test_a_stale_review_reminds_the_reviewing_attorney_once_then_weekly(attorneys, mailoutbox):
    today = timezone.localdate()
    stale = ArticleFactory(
        title="Old review",
        reviewed_by=attorneys["david"],
        last_reviewed_on=months_before(today, 11) - timedelta(days=1),
    )
    ArticleFactory(
        reviewed_by=attorneys["david"], last_reviewed_on=months_before(today, 11) + timedelta(days=60)
    )
    ArticleFactory.draft(reviewed_by=attorneys["david"], last_reviewed_on=date(2020, 1, 1))  # not live
    queue_review_reminders()
    queue_review_reminders()
    drain()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["david@firm.example.org"]
    assert mailoutbox[0].subject == "Legal review due: Old review"
    assert f"/admin/articles/article/{stale.pk}/change/" in mailoutbox[0].body

    for days, expected in [(3, 1), (6, 1), (7, 2), (10, 2), (13, 2), (14, 3)]:
        with time_machine.travel(timezone.now() + timedelta(days=days)):
            queue_review_reminders()
        assert OutboundEmail.objects.filter(kind="review").count() == expected, days

    # A new review date stops the reminders.
    stale.last_reviewed_on = today
    stale.save()
    approve_change(stale)  # the new review line is public once approved
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        queue_review_reminders()
    assert OutboundEmail.objects.filter(kind="review").count() == 3


def test_a_reminder_for_a_reviewer_without_an_account_goes_to_the_attorneys_who_can_approve(
    attorneys, mailoutbox
):
    ArticleFactory(reviewed_by=attorneys["nobody"], last_reviewed_on=date(2024, 1, 2))
    queue_review_reminders()
    drain()
    assert sorted(mailoutbox[0].to) == ["david@firm.example.org", "elena@firm.example.org"]


def test_a_title_cannot_inject_email_headers(attorneys, mailoutbox):
    article = ArticleFactory(approved=False)
    type(article).objects.filter(pk=article.pk).update(title="Line one\r\nBcc: victim@example.org")
    queue_approval_requests()
    drain()
    assert mailoutbox[0].subject == "Waiting for your approval: Line one Bcc: victim@example.org"
    assert "victim@example.org" not in str(mailoutbox[0].bcc)


def test_approval_requests_go_through_a_real_smtp_server(attorneys, smtp_server):
    ArticleFactory(title="Through SMTP", approved=False)
    call_command("run_site_jobs")
    call_command("run_outbox_worker", once=True)
    [(recipients, message)] = [
        (rcpt, m) for rcpt, m in smtp_server.messages if m["Subject"].startswith("Waiting for your approval")
    ]
    assert sorted(recipients) == ["david@firm.example.org", "elena@firm.example.org"]
    assert message["Subject"] == "Waiting for your approval: Through SMTP"
    assert message["Auto-Submitted"] == "auto-generated"


def test_the_months_arithmetic_keeps_to_the_calendar():
    assert months_before(date(2026, 12, 31), 11) == date(2026, 1, 31)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 11) == date(2025, 2, 15)


def test_the_jobs_run_from_the_worker_between_batches(attorneys, settings, monkeypatch):
    """One loop of the worker: the site jobs run, then a batch of email."""
    import signal

    from outbox.management.commands import run_outbox_worker

    ArticleFactory(approved=False)
    command = run_outbox_worker.Command()
    calls = []

    def one_batch(size):
        calls.append(size)
        command.stopping = True  # as SIGTERM would: stop after this loop
        return {}

    monkeypatch.setattr(run_outbox_worker, "process_batch", one_batch)
    # The loop closes stale connections between rounds; the test's own connection holds its transaction.
    monkeypatch.setattr(run_outbox_worker, "close_old_connections", lambda: None)
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        command.handle(interval=0.01, batch_size=5)
    finally:
        signal.signal(signal.SIGTERM, handlers[0])
        signal.signal(signal.SIGINT, handlers[1])
    assert calls == [5]
    assert OutboundEmail.objects.filter(kind="approval").count() == 1

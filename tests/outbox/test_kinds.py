"""Each app registers the kinds of email it sends (outbox/kinds.py); the outbox knows only its own alert."""

import pytest
from django.core.checks import run_checks

from outbox import kinds, queue
from outbox.models import OutboundEmail
from outbox.worker import drain

pytestmark = pytest.mark.django_db


def test_every_kind_the_apps_send_is_registered_by_its_app():
    owners = {name: kinds.get(name).build.__module__ for name, _label in kinds.choices()}
    assert owners == {
        "alert": "outbox.alerts",
        "approval": "articles.emails",
        "review": "articles.emails",
        "firm": "consultations.emails",
        "visitor": "consultations.emails",
        "digest": "consultations.emails",
        "assignment": "consultations.emails",
        "archive_failed": "archive.emails",
    }


def test_an_unregistered_kind_cannot_be_queued():
    with pytest.raises(ValueError, match="no app registered"):
        queue.enqueue("postcard")
    assert not OutboundEmail.objects.exists()


def test_a_stored_email_of_a_kind_no_app_sends_any_more_fails_at_once_and_alerts(mailoutbox, settings):
    orphan = OutboundEmail.objects.create(kind="postcard")
    drain()
    orphan.refresh_from_db()
    assert orphan.state == "failed" and orphan.attempts == 1
    assert "no app sends emails of kind 'postcard'" in orphan.last_error
    (alert,) = mailoutbox
    assert alert.to == settings.FIRM_ALERT_EMAILS and alert.subject == "Email not delivered: postcard"


def test_a_job_that_cannot_be_imported_is_refused_by_a_system_check(settings):
    settings.OUTBOX_JOBS = [*settings.OUTBOX_JOBS, ("articles.emails.no_such_job", 30)]
    assert [error.id for error in run_checks() if error.id.startswith("outbox.")] == ["outbox.E001"]

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations.models import ConsultationRequest, InternalNote
from outbox.models import OutboundEmail
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db


def make(status="declined", days_closed=400, **fields):
    consultation = ConsultationRequestFactory(
        name="Lee Chen",
        email="lee@example.org",
        phone="212-555-0111",
        practice_area=PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice"),
        what_happened="A delayed cancer diagnosis.",
        incident_date=date(2024, 5, 1),
        other_parties="Dr. Example, Metro Clinic",
        ip_hash="a" * 64,
        user_agent="Mozilla/5.0",
        status=status,
        **fields,
    )
    if consultation.closed_at:
        ConsultationRequest.objects.filter(pk=consultation.pk).update(
            closed_at=timezone.now() - timedelta(days=days_closed)
        )
    InternalNote.objects.create(consultation=consultation, text="Conflict: we act for Metro Clinic.")
    OutboundEmail.objects.create(source=consultation, kind="firm", state="failed", last_error="550 <x>")
    return consultation


def test_purge_erases_personal_details_and_keeps_the_conflict_check_stub(caplog):
    old = make()
    with caplog.at_level("INFO"):
        call_command("purge_consultations", older_than_days=365)
    old.refresh_from_db()
    assert (old.email, old.phone, old.what_happened, old.ip_hash, old.user_agent) == ("", "", "", "", "")
    assert old.purged_at is not None
    # The stub: names, other parties, dates, outcome.
    assert old.name == "Lee Chen" and old.other_parties == "Dr. Example, Metro Clinic"
    assert old.incident_date == date(2024, 5, 1) and old.received_at and old.status == "declined"
    assert not InternalNote.objects.exists()
    assert OutboundEmail.objects.get().last_error == ""
    assert "purged 1 request(s) and 1 note(s)" in caplog.text
    assert "Lee" not in caplog.text and "lee@" not in caplog.text  # counts only


def test_purge_leaves_recent_open_and_retained_requests_alone():
    recent = make(days_closed=30)
    open_request = make(status="contacted")
    retained = make(status="retained")
    call_command("purge_consultations", older_than_days=365)
    for consultation in (recent, open_request, retained):
        consultation.refresh_from_db()
        assert consultation.purged_at is None and consultation.what_happened


def test_dry_run_changes_nothing(capsys):
    old = make()
    call_command("purge_consultations", older_than_days=365, dry_run=True)
    assert "would purge 1 request(s)" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.purged_at is None and old.email


def test_default_comes_from_settings(settings):
    settings.CONSULTATION_RETENTION_DAYS = 10
    old = make(days_closed=11)
    call_command("purge_consultations")
    old.refresh_from_db()
    assert old.purged_at is not None


def test_purged_request_still_shows_in_the_admin(admin_client):
    old = make()
    call_command("purge_consultations", older_than_days=1)
    from django.urls import reverse

    url = reverse("admin:consultations_consultationrequest_change", args=[old.pk])
    assert "Lee Chen" in admin_client.get(url).content.decode()

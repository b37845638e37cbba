"""The visitor is told too: a short deadline (90 days or less) that may apply is named, with its date, on the
thanks page and in the confirmation email, in the visitor's language, worked out from the stored request."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.core import signing
from django.utils import timezone

from consultations.models import ConsultationRequest
from consultations.views import RECEIPT_SALT
from outbox.models import OutboundEmail
from outbox.sending import build_message
from tests.consultations.conftest import valid_data

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-12-02 10:00-05:00")
    return TODAY


def send(client, path="/consultation/", **answers):
    response = client.post(path, valid_data(**answers))
    assert response.status_code == 303
    return response["Location"]


def test_a_fall_on_a_city_sidewalk_80_days_ago_is_told_its_notice_of_claim_date(client, today):
    incident = (today - timedelta(days=80)).isoformat()  # September 13, 2026: due December 12
    location = send(
        client,
        what="fall",
        who="city",
        incident_date=incident,
        what_happened="I fell on a broken city sidewalk.",
    )
    # The signed receipt carries the request number only.
    token = unquote(location.split("r=")[1])
    assert set(signing.loads(token, salt=RECEIPT_SALT)) == {"n"}
    response = client.get(location)
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "A short deadline may apply to you" in page
    assert (
        "<strong>Notice of claim</strong> may be due as early as <strong>December 12, 2026</strong>" in page
    )
    assert "General Municipal Law § 50-e" in page and "Call us today." in page
    assert "Until a lawyer agrees in writing to represent you, this deadline is yours." in page
    assert 'href="/time-limits/"' in page


def test_the_confirmation_email_names_it_too(client, today):
    incident = (today - timedelta(days=80)).isoformat()
    send(
        client,
        what="fall",
        who="city",
        incident_date=incident,
        what_happened="I fell on a broken city sidewalk.",
    )
    consultation = ConsultationRequest.objects.get()
    message = build_message(OutboundEmail.objects.get(object_id=consultation.pk, kind="visitor"))
    assert "Notice of claim may be due as early as December 12, 2026" in message.body
    html = message.alternatives[0].content
    assert (
        "<strong>Notice of claim</strong> may be due as early as <strong>December 12, 2026</strong>" in html
    )


def test_a_car_crash_is_told_the_no_fault_application(client, today):
    location = send(client, what="car", who="private", incident_date=(today - timedelta(days=26)).isoformat())
    page = client.get(location).content.decode()
    assert (
        "<strong>No-fault application</strong> may be due as early as <strong>December 6, 2026</strong>"
        in page
    )
    # The 24-hour police report for a hit-and-run has passed: said plainly, nothing promised.
    assert "may have been due as early as <strong>November 7, 2026</strong>" in page
    assert "call us today to hear what may still be possible" in page


def test_spanish_visitors_are_told_in_spanish(client, today):
    incident = (today - timedelta(days=80)).isoformat()
    location = send(
        client,
        "/es/consulta/",
        what="fall",
        who="city",
        incident_date=incident,
        what_happened="Me caí en la acera.",
    )
    assert location.startswith("/es/consulta/gracias/")
    page = client.get(location).content.decode()
    assert "Aviso de reclamo (notice of claim)" in page and "12 de diciembre de 2026" in page
    assert "Ley General Municipal, art. 50-e" in page and "Llámenos hoy." in page
    consultation = ConsultationRequest.objects.get()
    message = build_message(OutboundEmail.objects.get(object_id=consultation.pk, kind="visitor"))
    assert "puede vencer tan pronto como el 12 de diciembre de 2026" in message.body


def test_without_a_date_the_rule_is_named_without_one(client, today):
    location = send(client, what="work", who="private", incident_date="")
    page = client.get(location).content.decode()
    assert "Workers&#x27; compensation: notice to the employer" in page
    assert "Without the date it happened we cannot give you a date" in page


def test_no_short_deadline_no_notice(client, today):
    location = send(client, what="medical", who="private", incident_date="2026-10-01")
    page = client.get(location).content.decode()
    assert "A short deadline may apply to you" not in page
    assert "may be due as early as" not in page


def test_the_notice_uses_only_approved_rules(client, time_limits, today):
    rule = time_limits["gml-50-e"]
    rule.name = "Unapproved name"
    rule.save()
    location = send(client, what="fall", who="city", incident_date=(today - timedelta(days=10)).isoformat())
    page = client.get(location).content.decode()
    assert "Unapproved name" not in page and "<strong>Notice of claim</strong>" in page
    assert timezone.localdate() == TODAY

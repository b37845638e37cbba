"""Assigning a request in the admin tells the assignee by email, through the outbox, with no personal details."""

import pytest
from django.urls import reverse

from outbox.models import OutboundEmail
from outbox.worker import drain
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db


def change(consultation):
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def form_data(consultation, **changes) -> dict:
    data = {
        "status": consultation.status,
        "assignee": consultation.assignee_id or "",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "emails-TOTAL_FORMS": "0",
        "emails-INITIAL_FORMS": "0",
        "emails-MIN_NUM_FORMS": "0",
        "emails-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.fixture
def colleague(django_user_model, intake_group):
    user = django_user_model.objects.create_user(
        "cora", "cora@example.org", "pw-cora-12345678", is_staff=True, first_name="Cora"
    )
    user.groups.add(intake_group)
    return user


def make_request():
    return ConsultationRequestFactory(
        name="Maria Alvarez",
        phone="212-555-0147",
        email="maria@example.org",
        what_happened="The surgeon left a sponge inside me.",
    )


def test_assigning_someone_else_queues_one_email_to_them_with_a_link_and_no_personal_details(
    client, intake_user, colleague, mailoutbox, settings
):
    consultation = make_request()
    client.force_login(intake_user)
    response = client.post(change(consultation), form_data(consultation, assignee=colleague.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    email = OutboundEmail.objects.get(kind="assignment")
    assert email.recipient == colleague and email.source == consultation and email.state == "pending"
    assert mailoutbox == []  # nothing is sent on the request path
    drain()
    [message] = mailoutbox
    assert message.to == ["cora@example.org"]
    assert consultation.number in message.subject
    assert settings.SITE_URL + consultation.get_admin_url() in message.body
    html = message.alternatives[0].content
    for text in (message.subject, message.body, html):
        for private in ("Maria", "Alvarez", "212-555-0147", "maria@example.org", "sponge"):
            assert private not in text


def test_saving_without_changing_the_assignee_or_assigning_yourself_sends_nothing(
    client, intake_user, colleague
):
    consultation = make_request()
    client.force_login(intake_user)
    client.post(change(consultation), form_data(consultation, assignee=intake_user.pk))  # yourself: you know
    consultation.refresh_from_db()
    client.post(change(consultation), form_data(consultation, status="contacted"))  # same assignee
    assert not OutboundEmail.objects.filter(kind="assignment").exists()


def test_reassigning_tells_each_new_assignee(client, intake_user, colleague, django_user_model, intake_group):
    third = django_user_model.objects.create_user(
        "theo", "theo@example.org", "pw-theo-12345678", is_staff=True
    )
    third.groups.add(intake_group)
    consultation = make_request()
    client.force_login(intake_user)
    client.post(change(consultation), form_data(consultation, assignee=colleague.pk))
    consultation.refresh_from_db()
    client.post(change(consultation), form_data(consultation, assignee=third.pk))
    consultation.refresh_from_db()
    client.post(change(consultation), form_data(consultation, assignee=colleague.pk))
    recipients = list(
        OutboundEmail.objects.filter(kind="assignment")
        .order_by("pk")
        .values_list("recipient__username", flat=True)
    )
    assert recipients == ["cora", "theo", "cora"]


def test_an_assignee_without_an_email_address_is_reported_not_queued(
    client, intake_user, colleague, django_user_model, intake_group
):
    colleague.email = ""
    colleague.save()
    consultation = make_request()
    client.force_login(intake_user)
    response = client.post(change(consultation), form_data(consultation, assignee=colleague.pk), follow=True)
    assert "has no email address" in response.content.decode()
    assert not OutboundEmail.objects.filter(kind="assignment").exists()


def test_the_assignment_email_reaches_a_real_smtp_server(client, intake_user, colleague, smtp_server):
    consultation = make_request()
    client.force_login(intake_user)
    client.post(change(consultation), form_data(consultation, assignee=colleague.pk))
    drain()
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["cora@example.org"]
    assert message["Subject"] == f"Request {consultation.number} is assigned to you"
    assert "Maria" not in message.get_body(("plain",)).get_content()
    assert OutboundEmail.objects.get(kind="assignment").state == "sent"

"""The form's "What is it about?" choices are the firm's practice areas (articles.PracticeArea): one source of truth."""

import pytest
from django.urls import reverse

from consultations.models import OTHER_PRACTICE_AREA, ConsultationRequest
from tests.consultations.conftest import valid_data
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db
URL = reverse("consultations:create")


def offered(client) -> list[str]:
    return [label for _, label in client.get(URL).context["form"].fields["practice_area"].choices]


def test_the_form_offers_the_areas_in_admin_order_then_something_else(client):
    PracticeAreaFactory(name="Personal injury", order=2)
    PracticeAreaFactory(name="Medical malpractice", order=1)
    assert offered(client) == ["Please choose", "Medical malpractice", "Personal injury", OTHER_PRACTICE_AREA]


def test_an_area_added_in_the_admin_is_offered_on_the_next_request(admin_client, client):
    assert "Dog bites" not in offered(client)
    response = admin_client.post(
        reverse("admin:articles_practicearea_add"),
        {"name": "Dog bites", "slug": "dog-bites", "summary": "When a dog hurts you.", "order": 5},
    )
    assert response.status_code == 302
    assert "Dog bites" in offered(client)


def test_the_request_points_at_the_area_and_keeps_the_label_it_was_sent_with(client):
    data = valid_data()
    assert client.post(URL, data).status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.practice_area.slug == "medical-malpractice"
    consultation.practice_area.name = "Medical negligence"
    consultation.practice_area.save()
    consultation.refresh_from_db()
    assert consultation.practice_area_label == "Medical malpractice"


def test_something_else_is_stored_as_no_area(client):
    assert client.post(URL, valid_data(practice_area="other")).status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.practice_area is None
    assert consultation.practice_area_label == OTHER_PRACTICE_AREA


def test_a_value_that_is_not_offered_is_refused_with_a_plain_message(client):
    response = client.post(URL, valid_data(practice_area="999999"))
    assert response.status_code == 200
    assert "Please choose one of the listed topics." in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_deleting_an_area_that_requests_point_at_is_refused_in_the_admin(admin_client):
    area = PracticeAreaFactory(name="Medical malpractice")
    ConsultationRequestFactory(practice_area=area)
    url = reverse("admin:articles_practicearea_delete", args=[area.pk])
    page = admin_client.get(url).content.decode()
    assert "Cannot delete practice area" in page
    assert "would require deleting the following protected related objects" in page
    admin_client.post(url, {"post": "yes"})
    assert area.__class__.objects.filter(pk=area.pk).exists()

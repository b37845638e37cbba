"""A request's practice area (articles.PracticeArea) follows from what happened and who may be responsible: the
form asks those two fixed questions, never the area as a third question that means the same."""

import pytest
from django.urls import reverse

from consultations.forms import area_for
from consultations.models import OTHER_PRACTICE_AREA, ConsultationRequest
from tests.consultations.conftest import valid_data
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db
URL = reverse("consultations:create")


@pytest.fixture
def areas():
    return {
        slug: PracticeAreaFactory(slug=slug, name=name)
        for slug, name in (
            ("medical-malpractice", "Medical malpractice"),
            ("personal-injury", "Personal injury"),
            ("claims-against-public-bodies", "Claims against public bodies"),
        )
    }


@pytest.mark.parametrize(
    ("what", "who", "slug"),
    [
        ("medical", "private", "medical-malpractice"),
        ("medical", "city", "medical-malpractice"),
        ("car", "private", "personal-injury"),
        ("fall", "city", "claims-against-public-bodies"),
        ("work", "state", "claims-against-public-bodies"),
        ("car", "unsure", "personal-injury"),
        ("other", "private", "personal-injury"),
    ],
)
def test_the_area_follows_from_the_answers(client, areas, what, who, slug):
    assert area_for(what, who) == slug
    assert client.post(URL, valid_data(what=what, who=who)).status_code == 303
    assert ConsultationRequest.objects.get().practice_area.slug == slug


def test_the_form_asks_what_happened_and_who_not_the_area(client, areas):
    form = client.get(URL).context["form"]
    assert "practice_area" not in form.fields and {"what", "who"} <= set(form.fields)


def test_the_request_keeps_the_area_label_it_was_sent_with(client, areas):
    assert client.post(URL, valid_data()).status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.practice_area.slug == "medical-malpractice"
    consultation.practice_area.name = "Medical negligence"
    consultation.practice_area.save()
    consultation.refresh_from_db()
    assert consultation.practice_area_label == "Medical malpractice"


def test_an_area_the_firm_does_not_have_is_stored_as_none(client):
    assert client.post(URL, valid_data(what="car", who="private")).status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.practice_area is None and consultation.practice_area_label == OTHER_PRACTICE_AREA
    assert (consultation.what, consultation.who) == ("car", "private")


def test_a_value_that_is_not_offered_is_refused_with_a_plain_message(client):
    response = client.post(URL, valid_data(who="the-neighbour"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please choose who may be responsible, or “I am not sure”." in html
    assert "the-neighbour" not in html  # what was sent is not repeated (articles/limit_questions.py)
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

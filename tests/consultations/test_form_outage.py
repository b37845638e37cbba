"""The consultation form while PostgreSQL is away: it still works out a request's practice area from the last
known areas (also in a process that never read them itself), and its page says up front, in the visitor's
language and with the phone number, that requests cannot be sent right now; each refusal is one calm log line.

The outage is real: this process's connection points at a port nothing listens on (tests/helpers.py)."""

import logging

import pytest
from django.urls import reverse

from consultations import forms
from consultations.forms import ConsultationRequestForm
from tests.consultations.conftest import valid_data
from tests.factories import PracticeAreaFactory
from tests.helpers import database_away

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("consultations:create")
SPANISH_URL = "/es/consulta/"


@pytest.fixture
def areas():
    return [
        PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice"),
        PracticeAreaFactory(slug="personal-injury", name="Personal injury"),
    ]


@pytest.fixture
def new_process(monkeypatch):
    """As in a process started during the outage: it has read no practice areas itself."""
    monkeypatch.setattr(forms, "_last_known_areas", {})


def refusals(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_the_form_works_out_the_area_from_the_last_known_areas_in_a_process_started_during_the_outage(
    client, areas, new_process
):
    assert client.get(URL).status_code == 200  # the areas are read (and shared) while the database is up
    forms._last_known_areas = {}  # this process forgets them: only the shared cache remembers
    with database_away():
        form = ConsultationRequestForm(valid_data(what="medical"))
        assert form.database_unavailable
        assert {area.slug for area in form.practice_areas.values()} == {
            "medical-malpractice",
            "personal-injury",
        }
        assert form.is_valid(), form.errors  # the answers are checked: nothing about them is rejected
        assert form.practice_area().slug == "medical-malpractice"


def test_without_any_known_areas_the_form_still_checks_the_answers(client, new_process):
    with database_away():
        form = ConsultationRequestForm(valid_data(what="car"))
        assert form.database_unavailable and form.practice_areas == {}
        assert form.is_valid(), form.errors
        assert form.practice_area() is None


def test_the_form_page_says_requests_cannot_be_sent_right_now_with_the_phone(client, areas, caplog):
    with database_away():
        response = client.get(URL + "?article=surgical-errors-explained")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.content.decode()
    assert "Requests cannot be sent from this page right now" in html
    assert 'href="tel:+12127665222">212-766-5222</a>' in html
    assert 'name="what_happened"' in html  # the visitor can still read and fill in the form
    assert [record.getMessage() for record in refusals(caplog)] == [
        "consultation form: database unavailable; shown with the phone number, cannot be sent"
    ]


def test_the_spanish_form_page_says_so_in_spanish(client, areas):
    with database_away():
        response = client.get(SPANISH_URL)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Por ahora no se pueden enviar solicitudes desde esta página" in html
    assert "Llámenos al <a" in html and "212-766-5222" in html


def test_a_refused_post_and_the_health_check_log_one_warning_each_and_no_error(client, areas, caplog):
    with database_away():
        posted = client.post(URL, valid_data(name="Outage Visitor"))
        health = client.get(reverse("healthz"))
        page = client.get(reverse("about"))
    assert (posted.status_code, health.status_code, page.status_code) == (503, 503, 503)
    logged = refusals(caplog)
    assert [record.levelname for record in logged] == ["WARNING"] * 3, [r.getMessage() for r in logged]
    assert all(record.exc_info is None for record in logged)
    assert "Outage Visitor" not in caplog.text

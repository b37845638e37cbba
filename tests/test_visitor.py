"""What a visitor is told and offered: office hours as data, the best time to call, the team page, and the
thanks page and confirmation that follow the way they asked to be contacted."""

import re
from datetime import time

import pytest
from django.urls import reverse

from articles import office_hours
from consultations.forms import ConsultationRequestForm
from consultations.models import ConsultationRequest
from outbox.worker import drain
from tests.consultations.conftest import valid_data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hours(settings):
    def set_hours(value: str):
        settings.FIRM_OFFICE_HOURS = value
        office_hours.office_hours.cache_clear()

    yield set_hours
    office_hours.office_hours.cache_clear()


def test_office_hours_are_read_from_one_structured_setting():
    hours = office_hours.parse("Mon-Fri 09:00-18:00")
    assert (hours.first_day, hours.last_day, hours.opens, hours.closes) == (0, 4, time(9), time(18))
    assert office_hours.parse("") is None
    for bad in ("9 to 6", "Mon-Fri 18:00-09:00", "Mon-Fry 09:00-18:00"):
        with pytest.raises(ValueError, match="like|days are|closing time"):
            office_hours.parse(bad)


def test_office_hours_are_worded_in_each_language(hours):
    hours("Mon-Fri 09:00-18:00")
    assert office_hours.words("en") == "Monday to Friday, 9 am to 6 pm"
    assert office_hours.words("es") == "De lunes a viernes, de 9 a. m. a 6 p. m."
    hours("Mon-Sat 08:30-12:00")
    assert office_hours.words("en") == "Monday to Saturday, 8:30 am to noon"


def test_a_malformed_office_hours_setting_stops_the_checks(settings):
    from lawsite.checks import check_office_hours

    settings.FIRM_OFFICE_HOURS = "weekdays 9 to 6"
    assert [error.id for error in check_office_hours(None)] == ["lawsite.E042"]
    settings.FIRM_OFFICE_HOURS = "Mon-Fri 09:00-18:00"
    assert check_office_hours(None) == []


def test_best_time_offers_only_times_when_the_office_is_open(hours):
    hours("Mon-Fri 09:00-18:00")
    labels = dict(ConsultationRequestForm().fields["best_time"].choices)
    assert labels == {
        "any": "Any time during office hours",
        "morning": "Morning (9 am to noon)",
        "afternoon": "Afternoon (noon to 5 pm)",
        "evening": "Early evening (5 pm to 6 pm)",
    }
    hours("Mon-Fri 08:00-16:30")
    choices = dict(ConsultationRequestForm().fields["best_time"].choices)
    assert "evening" not in choices and choices["afternoon"] == "Afternoon (noon to 4:30 pm)"
    form = ConsultationRequestForm(valid_data(best_time="evening"))
    assert "best_time" in form.errors  # outside the office's hours: not accepted


def test_best_time_is_optional_and_says_so(client):
    html = client.get(reverse("consultations:create")).content.decode()
    label = re.search(r'<label for="id_best_time">(.*?)</label>', html, re.S).group(1)
    assert "(optional)" in label and "required" not in label
    response = client.post(reverse("consultations:create"), valid_data(best_time=""))
    assert response.status_code == 303
    assert ConsultationRequest.objects.get().best_time == "any"


def test_the_footer_shows_the_hours_from_the_setting(client):
    assert "Monday to Friday, 9 am to 6 pm" in client.get("/").content.decode()
    assert "De lunes a viernes, de 9 a. m. a 6 p. m." in client.get("/es/").content.decode()


@pytest.mark.parametrize("path", ["/people/", "/es/equipo/"])
def test_the_team_has_its_own_page_in_both_languages(client, path):
    PersonFactory(name="Elena Marsh", slug="elena-marsh")
    PersonFactory(name="Priya Raman", slug="priya-raman")
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert re.search(r'<h2 class="team-card__name"><a href="[^"]*elena-marsh/">Elena Marsh</a></h2>', html)
    assert "Priya Raman" in html
    footer = html[html.index("<footer") :]
    assert f'href="{path}"' in footer  # "Our team" leads here


@pytest.mark.parametrize("path", ["/articles/", "/es/articulos/"])
def test_the_article_lists_do_not_skip_a_heading_level(client, path):
    from tests.factories import ArticleFactory

    ArticleFactory(language="es" if path.startswith("/es/") else "en")
    html = client.get(path).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


CASES = {
    # contact choice, phone, email -> words on the thanks page, words in the confirmation
    "email": ("email", "", "maria@example.org", "emails you, usually", "emails you back at this address"),
    "phone": ("phone", "212-555-0147", "maria@example.org", "calls you, usually", "calls you back"),
    "either": (
        "either",
        "212-555-0147",
        "maria@example.org",
        "calls or emails you",
        "calls or emails you back",
    ),
    "either, email only": ("either", "", "maria@example.org", "emails you, usually", "emails you back"),
}


@pytest.mark.parametrize("case", CASES)
def test_thanks_page_and_confirmation_follow_the_contact_choice(client, mailoutbox, case):
    method, phone, email, on_page, in_email = CASES[case]
    data = valid_data(contact_method=method, phone=phone, email=email)
    response = client.post(reverse("consultations:create"), data, follow=True)
    page = response.content.decode()
    assert on_page in page
    if method == "email" or not phone:
        assert "On the call" not in page and "calls you" not in page
    drain()
    confirmation = next(m for m in mailoutbox if m.to == [email])
    assert in_email in confirmation.body
    if not phone:
        assert "calls you" not in confirmation.body and "calls you" not in confirmation.alternatives[0][0]


def switch_href(html: str) -> str:
    switch = re.search(r'<p class="language-switch">(.*?)</p>', html, re.S).group(1)
    return re.search(r'<a href="([^"]+)"', switch).group(1).replace("&amp;", "&")


def test_switching_language_from_an_article_without_a_twin_says_so_and_offers_the_closest(client):
    from tests.factories import ArticleFactory

    only_english = ArticleFactory(title="Notice of claim basics")
    spanish = ArticleFactory(
        language="es", practice_area=only_english.practice_area, title="Plazos en Nueva York"
    )
    target = switch_href(client.get(only_english.get_absolute_url()).content.decode())
    assert target == f"/es/sin-traduccion/{only_english.slug}/"
    response = client.get(target)
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="es">' in html
    assert "Este artículo todavía no está disponible en español" in html
    assert spanish.get_absolute_url() in html and "Plazos en Nueva York" in html
    assert switch_href(html) == only_english.get_absolute_url()  # and back to where the reader was
    assert client.get(f"/es/sin-traduccion/{spanish.slug}/").status_code == 404  # it is in Spanish already


def test_switching_language_on_search_keeps_the_query(client):
    html = client.get("/search/", {"q": "notice of claim"}).content.decode()
    assert switch_href(html) == "/es/buscar/?q=notice+of+claim"
    html = client.get("/es/buscar/", {"q": "plazo"}).content.decode()
    assert switch_href(html) == "/search/?q=plazo"

"""The Spanish site in Debian Chromium: axe 0 violations on phone and laptop, the language switch, and a
Spanish reader going from the home page to an article, searching, and sending the form without meeting English."""

import re

import pytest
from django.core.management import call_command

from consultations.models import ConsultationRequest
from tests.factories import ArticleFactory, PracticeAreaFactory
from tests.helpers import assert_page_clean
from tests.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}
# Words that would mean an English sentence slipped into a Spanish page (the firm's name aside).
ENGLISH_GIVEAWAYS = re.compile(
    r"\b(the|and|your|you|with|what|Call us|Free consultation|Search|Articles|required|optional|min read)\b"
)


@pytest.fixture
def spanish_content():
    area = PracticeAreaFactory(
        slug="medical-malpractice",
        name="Medical malpractice",
        name_es="Negligencia médica",
        slug_es="negligencia-medica",
        summary_es="Cuando un médico o un hospital no cumple con la práctica aceptada y el paciente sufre un daño.",
        description_es="Un caso de negligencia médica hace dos preguntas sencillas.",
    )
    english = ArticleFactory(
        slug="malpractice-or-negligence", title="Malpractice or negligence?", practice_area=area
    )
    spanish = ArticleFactory(
        slug="negligencia-medica-o-comun",
        title="¿Negligencia médica o negligencia común?",
        summary="Le explicamos la diferencia entre las dos y por qué cambia el plazo para demandar.",
        body="Una introducción con un [enlace](https://www.nycourts.gov/).\n\n## Primera parte\n\nTexto sobre la "
        "negligencia.\n\n### Detalle\n\n- uno\n- dos\n\n## Segunda parte\n\nMás texto.\n\n## Tercera parte\n\nFin.\n",
        language="es",
        counterpart=english,
        practice_area=area,
    )
    ArticleFactory.create_batch(
        2, language="es", practice_area=area, title="Otro artículo sobre la negligencia médica",
        summary="Un resumen breve en español para la tarjeta del artículo.",
    )  # fmt: skip
    for person in {spanish.author, spanish.reviewed_by}:
        person.job_title_es = "Abogada"
        person.save()
    return english, spanish


def spanish_pages(spanish) -> list[str]:
    return [
        "/es/",
        "/es/articulos/",
        spanish.get_absolute_url(),
        spanish.practice_area.url_in("es"),
        "/es/areas-de-practica/",
        "/es/buscar/?q=negligencia",
        "/es/buscar/?q=zzzqqq",
        "/es/consulta/",
        "/es/consulta/gracias/",
        "/es/nosotros/",
        "/es/aviso-legal/",
        "/es/privacidad/",
        "/es/no-existe/",
    ]


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_spanish_pages_have_no_axe_violations(live_server, browser, watched_page, spanish_content, viewport):
    english, spanish = spanish_content
    page = watched_page
    if viewport == "laptop":
        page.set_viewport_size(LAPTOP)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path in spanish_pages(spanish):
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.lang") == "es", path
            assert axe_violations(page) == [], (path, scheme)
    # The form with its errors shown, in Spanish.
    page.goto(live_server.url + "/es/consulta/")
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == []


def test_a_spanish_reader_never_meets_an_english_sentence(
    live_server, watched_page, spanish_content, artifacts
):
    english, spanish = spanish_content
    page = watched_page
    page.goto(live_server.url + "/es/")
    page.get_by_role("link", name=spanish.title).first.click()
    page.wait_for_url(f"**{spanish.get_absolute_url()}")
    page.screenshot(path=artifacts / "es-article-phone.png", full_page=True)
    for path in spanish_pages(spanish)[:-1]:
        page.goto(live_server.url + path)
        text = page.locator("body").inner_text().replace("Leav & Steinberg LLP", "")
        text = text.replace("English", "")  # the language switch names English in English, on purpose
        leftovers = ENGLISH_GIVEAWAYS.findall(text)
        assert leftovers == [], (path, leftovers)
    assert_page_clean(page)


def test_the_language_switch_goes_to_the_counterpart_and_back(live_server, watched_page, spanish_content):
    english, spanish = spanish_content
    page = watched_page
    page.goto(live_server.url + english.get_absolute_url())
    switch = page.locator(".language-switch a")
    assert switch.get_attribute("lang") == "es" and switch.get_attribute("hreflang") == "es"
    switch.click()
    page.wait_for_url(f"**{spanish.get_absolute_url()}")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.locator(".language-switch a").click()
    page.wait_for_url(f"**{english.get_absolute_url()}")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_spanish_form_end_to_end_in_the_browser(
    live_server, watched_page, spanish_content, mailoutbox, settings
):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    page = watched_page
    page.goto(live_server.url + "/es/consulta/")
    page.get_by_label("Su nombre").fill("Ana Rodríguez")
    page.get_by_label("Número de teléfono").fill("718-555-0142")
    page.get_by_role("textbox", name="Correo electrónico").fill("ana@example.org")
    page.get_by_role("radio", name=re.compile("^Atención médica")).check()
    page.get_by_role("radio", name=re.compile("^Una persona o empresa privada")).check()
    page.get_by_label("Cuéntenos brevemente qué pasó").fill(
        "Me operaron de la rodilla y no detectaron una infección."
    )
    page.get_by_label("Leí el aviso de arriba y lo entiendo").check()
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.wait_for_url("**/es/consulta/gracias/**")
    assert "Gracias: recibimos su solicitud" in page.locator("h1").inner_text()
    consultation = ConsultationRequest.objects.get()
    assert consultation.language == "es"
    call_command("run_outbox_worker", once=True)
    visitor = next(message for message in mailoutbox if message.to == ["ana@example.org"])
    assert visitor.subject.startswith("Recibimos su solicitud")
    assert_page_clean(page)

"""The Spanish site under /es/: language from the address only, translated pages and form, hreflang pairs,
and a page cache that never mixes the two languages (search in Spanish: tests/test_spanish_search.py)."""

import re
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from consultations.models import ConsultationRequest
from tests.consultations.conftest import valid_data
from tests.factories import ArticleFactory, PracticeAreaFactory, approve_change
from tests.helpers import parse_head

pytestmark = pytest.mark.django_db

SPANISH_PAGES = [
    "/es/",
    "/es/articulos/",
    "/es/areas-de-practica/",
    "/es/buscar/?q=caida",
    "/es/consulta/",
    "/es/consulta/gracias/",
    "/es/nosotros/",
    "/es/aviso-legal/",
    "/es/privacidad/",
]
HTML_LANG = re.compile(r'<html lang="([a-z-]+)"')


def alternate_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', html))


@pytest.fixture
def pair():
    """An English article and its Spanish counterpart in one practice area with Spanish texts."""
    area = PracticeAreaFactory(
        slug="medical-malpractice",
        name="Medical malpractice",
        name_es="Negligencia médica",
        slug_es="negligencia-medica",
        summary_es="Cuando la atención médica no cumple con la práctica aceptada y el paciente sufre un daño.",
    )
    english = ArticleFactory(
        slug="malpractice-or-negligence", title="Malpractice or negligence?", practice_area=area
    )
    spanish = ArticleFactory(
        slug="negligencia-medica-o-comun",
        title="¿Negligencia médica o negligencia común?",
        summary="Le explicamos la diferencia entre las dos y por qué cambia el plazo para demandar.",
        body="Introducción.\n\n## Primera parte\n\nTexto.\n\n## Segunda parte\n\nMás.\n\n## Tercera\n\nFin.\n",
        language="es",
        counterpart=english,
        practice_area=area,
    )
    english.refresh_from_db()
    return english, spanish


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_every_spanish_page_is_spanish_with_one_h1(client, path, pair):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert HTML_LANG.search(html).group(1) == "es"
    assert response["Content-Language"] == "es"
    assert parse_head(html).h1 == 1
    # The switch offers English, marked up in English for screen readers (on the form, a button of the form
    # that keeps the answers typed so far: consultations/drafts.py).
    assert re.search(
        r'<a href="/[^"]*" hreflang="en" lang="en">English</a>'
        r'|<button class="language-switch__button" [^>]*lang="en">English</button>',
        html,
    )


def test_spanish_article_and_practice_area_pages_answer_in_spanish(client, pair):
    english, spanish = pair
    for path in (spanish.get_absolute_url(), spanish.practice_area.url_in("es"), "/es/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == "es"


def test_addresses_are_translated_and_english_ones_do_not_move(pair):
    english, spanish = pair
    assert english.get_absolute_url() == "/articles/malpractice-or-negligence/"
    assert spanish.get_absolute_url() == "/es/articulos/negligencia-medica-o-comun/"
    assert spanish.practice_area.url_in("es") == "/es/areas-de-practica/negligencia-medica/"
    assert spanish.practice_area.url_in("en") == "/practice-areas/medical-malpractice/"
    assert reverse("home") == "/" and reverse("consultations:create") == "/consultation/"
    with translation.override("es"):
        assert reverse("consultations:thanks") == "/es/consulta/gracias/"
        assert reverse("articles:search") == "/es/buscar/"
        assert reverse("about") == "/es/nosotros/"


def test_an_article_is_only_at_its_own_languages_address(client, pair):
    english, spanish = pair
    assert client.get(f"/es/articulos/{english.slug}/").status_code == 404
    assert client.get(f"/articles/{spanish.slug}/").status_code == 404
    assert client.get("/es/articles/").status_code == 404  # no half-translated paths
    assert client.get("/en/").status_code == 404  # English has no prefix


def test_the_language_comes_from_the_address_only(client, pair):
    english, spanish = pair
    client.cookies["django_language"] = "es"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 200  # no redirect to /es/
    assert HTML_LANG.search(response.content.decode()).group(1) == "en"
    assert response["Content-Language"] == "en"
    response = client.get(spanish.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US")
    assert HTML_LANG.search(response.content.decode()).group(1) == "es"


def test_hreflang_pairs_point_at_each_other(client, pair):
    english, spanish = pair
    english_links = alternate_links(client.get(english.get_absolute_url()).content.decode())
    spanish_links = alternate_links(client.get(spanish.get_absolute_url()).content.decode())
    assert english_links == spanish_links
    assert english_links["en"].endswith(english.get_absolute_url())
    assert english_links["es"].endswith(spanish.get_absolute_url())
    assert english_links["x-default"] == english_links["en"]
    # The switch goes to the counterpart, not just the other home page.
    html = client.get(spanish.get_absolute_url()).content.decode()
    assert f'<a href="{english.get_absolute_url()}" hreflang="en" lang="en">English</a>' in html
    html = client.get(english.get_absolute_url()).content.decode()
    assert f'<a href="{spanish.get_absolute_url()}" hreflang="es" lang="es">Español</a>' in html


def test_without_a_counterpart_the_switch_goes_to_a_page_that_says_so(client):
    lone = ArticleFactory(language="es", slug="solo-en-espanol")
    html = client.get(lone.get_absolute_url()).content.decode()
    assert '<a href="/not-translated/solo-en-espanol/" hreflang="en" lang="en">English</a>' in html
    assert set(alternate_links(html)) == {"es"}  # no hreflang pair: it is not the same page in English


def test_static_pages_pair_with_their_translation(client):
    links = alternate_links(client.get("/es/nosotros/").content.decode())
    assert links["en"].endswith("/about/") and links["es"].endswith("/es/nosotros/")
    assert alternate_links(client.get("/about/").content.decode()) == links


def test_json_ld_says_which_language_an_article_is_in(client, pair):
    english, spanish = pair
    assert '"inLanguage": "es-US"' in client.get(spanish.get_absolute_url()).content.decode()
    assert '"inLanguage": "en-US"' in client.get(english.get_absolute_url()).content.decode()


def test_counterparts_link_both_ways_and_must_be_in_the_other_language(pair):
    english, spanish = pair
    assert english.counterpart == spanish and spanish.counterpart == english
    other = ArticleFactory(language="es", slug="otro-articulo")
    other.counterpart = english
    other.save()
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert english.counterpart == other and spanish.counterpart is None  # one counterpart at a time
    assert list(Article.objects.missing_counterpart().filter(language="es")) == [spanish]
    same_language = ArticleFactory(slug="another-english-one")
    same_language.counterpart = english
    with pytest.raises(ValidationError) as raised:
        same_language.clean()
    assert "counterpart" in raised.value.message_dict


def test_sitemap_lists_both_languages_with_alternates(client, pair):
    english, spanish = pair
    xml = client.get("/sitemap.xml").content
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in ElementTree.fromstring(xml).findall("s:url", ns)  # noqa: S314  (our own sitemap)
    }
    english_url = next(loc for loc in urls if loc.endswith(english.get_absolute_url()))
    spanish_url = next(loc for loc in urls if loc.endswith(spanish.get_absolute_url()))
    assert urls[english_url] == urls[spanish_url]
    assert urls[english_url] == {"en": english_url, "es": spanish_url, "x-default": english_url}
    assert any(loc.endswith("/es/nosotros/") for loc in urls)


def test_spanish_feed_lists_only_spanish_articles(client, pair):
    english, spanish = pair
    feed = client.get("/es/feed/").content.decode()
    assert 'xml:lang="es"' in feed and spanish.title in feed and english.title not in feed
    feed = client.get("/feed/").content.decode()
    assert english.title in feed and spanish.title not in feed


def test_lists_and_home_show_only_the_pages_language(client, pair):
    english, spanish = pair
    for path in ("/es/", "/es/articulos/", spanish.practice_area.url_in("es")):
        html = client.get(path).content.decode()
        assert spanish.title in html and english.title not in html, path
    for path in ("/", "/articles/", english.practice_area.url_in("en")):
        html = client.get(path).content.decode()
        assert english.title in html and spanish.title not in html, path


def test_spanish_pages_keep_the_query_budgets(client, pair, django_assert_max_num_queries):
    english, spanish = pair
    ArticleFactory.create_batch(3, language="es", practice_area=spanish.practice_area)
    for path, budget in (
        (spanish.get_absolute_url(), 3),
        ("/es/articulos/", 5),
        ("/es/", 5),
        ("/es/buscar/?q=negligencia", 5),
        ("/es/buscar/?q=zzzqqq", 5),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(path).status_code == 200, path


def test_page_cache_never_serves_one_languages_page_at_the_others_address(
    client, pair, page_cache, django_capture_on_commit_callbacks
):
    english, spanish = pair
    pages = [("/", "/es/"), ("/about/", "/es/nosotros/"), ("/articles/", "/es/articulos/")]
    for english_path, spanish_path in pages:
        for _ in range(2):  # the second request of each is a cache hit
            english_html = client.get(english_path).content.decode()
            spanish_response = client.get(spanish_path)
            assert HTML_LANG.search(english_html).group(1) == "en", english_path
            assert HTML_LANG.search(spanish_response.content.decode()).group(1) == "es", spanish_path
        assert spanish_response["X-Page-Cache"] == "hit"
        # A visitor whose browser prefers Spanish, hitting an English address that is cached: still English.
        response = client.get(english_path, HTTP_ACCEPT_LANGUAGE="es")
        assert response["X-Page-Cache"] == "hit"
        assert HTML_LANG.search(response.content.decode()).group(1) == "en"


def test_spanish_form_stores_the_language_and_sends_a_spanish_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from articles import compliance

    response = client.post("/es/consulta/", valid_data())
    assert response.status_code == 303
    assert response["Location"].startswith("/es/consulta/gracias/")
    consultation = ConsultationRequest.objects.get()
    assert consultation.language == "es"
    assert consultation.disclaimer_version == compliance.FORM_DISCLAIMER_VERSION_ES
    call_command("run_outbox_worker", once=True)
    firm_email, visitor_email = sorted(mailoutbox, key=lambda m: m.to != ["intake@example.com"])
    assert visitor_email.to == ["maria@example.org"]
    assert visitor_email.subject == "Recibimos su solicitud - Leav & Steinberg LLP"
    assert "Qué pasa ahora" in visitor_email.body and "Hola:" in visitor_email.body
    assert compliance.WORDING["es"]["after_sending_reminder"] in visitor_email.body
    assert "What happens next" not in visitor_email.body
    html = visitor_email.alternatives[0].content
    assert '<html lang="es">' in html and "Qué pasa ahora" in html
    # The firm reads English, and is told the visitor prefers Spanish.
    assert firm_email.subject.endswith(f" — {consultation.number}")
    assert "Maria" not in firm_email.subject
    assert "Prefers Spanish" in firm_email.body and "Prefers Spanish" in firm_email.alternatives[0].content


def test_english_form_is_unchanged_and_says_nothing_about_spanish(client, mailoutbox):
    from articles import compliance

    assert client.post("/consultation/", valid_data()).status_code == 303
    consultation = ConsultationRequest.objects.get()
    assert consultation.language == "en"
    assert consultation.disclaimer_version == compliance.FORM_DISCLAIMER_VERSION
    call_command("run_outbox_worker", once=True)
    assert all("Spanish" not in message.body for message in mailoutbox)


def test_spanish_form_errors_are_in_spanish(client):
    response = client.post("/es/consulta/", valid_data(name="", what_happened=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Díganos su nombre, por favor." in html
    assert "Cuéntenos brevemente qué pasó." in html
    assert "Please tell us your name." not in html


def test_intake_can_filter_requests_by_language(admin_client):
    from tests.factories import ConsultationRequestFactory

    ConsultationRequestFactory(name="Ana Spanish", language="es")
    ConsultationRequestFactory(name="Bob English")
    url = reverse("admin:consultations_consultationrequest_changelist")
    html = admin_client.get(url, {"language__exact": "es"}).content.decode()
    assert "Ana Spanish" in html and "Bob English" not in html


def test_editors_see_which_articles_lack_a_counterpart(admin_client, pair):
    english, spanish = pair
    lone = ArticleFactory(title="An English article alone")
    url = reverse("admin:articles_article_changelist")
    html = admin_client.get(url, {"counterpart": "missing"}).content.decode()
    assert lone.title in html and english.title not in html and spanish.title not in html


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Words that would mean an English sentence slipped into a Spanish page (the firm's name aside).
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|what|Call us|Free consultation|Search|Articles|required|optional|min read|"
    r"Published|Reviewed|Legally|Home|Please)\b"
)


@pytest.mark.parametrize("path", [*SPANISH_PAGES, "/es/buscar/?q=zzzqqq", "/es/no-existe/"])
def test_spanish_pages_have_no_english_sentences(client, pair, path):
    english, spanish = pair
    html = client.get(path).content.decode()
    text = visible_text(html).replace("Leav &amp; Steinberg LLP", "").replace("English", "")
    assert ENGLISH_WORDS.findall(text) == [], path


def test_spanish_article_page_is_all_spanish_with_spanish_dates(client, pair):
    english, spanish = pair
    html = client.get(spanish.get_absolute_url()).content.decode()
    text = visible_text(html).replace("Leav &amp; Steinberg LLP", "").replace("English", "")
    assert ENGLISH_WORDS.findall(text) == []
    assert re.search(r"Publicado el \d{1,2} de [a-z]+ de \d{4}", text), text[:500]
    assert "Revisado legalmente por" in text and "min de lectura" in text
    assert "Información general, no asesoramiento legal." in text
    # The English page keeps its English wording and dates.
    english_text = visible_text(client.get(english.get_absolute_url()).content.decode())
    assert re.search(r"Published [A-Z][a-z]+ \d{1,2}, \d{4}", english_text)
    assert "Legally reviewed by" in english_text


def test_spanish_compliance_notices(client, pair):
    from articles import compliance

    html = client.get("/es/").content.decode()
    assert "Publicidad de abogados" in html
    assert compliance.WORDING["es"]["prior_results"] in html
    form = client.get("/es/consulta/").content.decode()
    assert compliance.WORDING["es"]["form_disclaimer"].replace("&", "&amp;") in form
    assert compliance.FORM_DISCLAIMER.replace("&", "&amp;") not in form


def test_spanish_people_texts_on_the_about_page(client, pair):
    english, spanish = pair
    author = spanish.author
    author.bio = "Writes for patients in New York, in English."
    author.job_title_es, author.bio_es = "Abogada de pacientes", "Representa a pacientes en Nueva York."
    author.save()
    approve_change(author)  # a person's public texts go live once approved
    html = client.get("/es/nosotros/").content.decode()
    assert "Abogada de pacientes" in html and "Representa a pacientes en Nueva York." in html
    assert author.bio not in html
    assert author.bio in client.get("/about/").content.decode()


def test_a_portraits_default_description_follows_the_page_language(pair):
    english, spanish = pair
    person = spanish.author
    assert person.photo_description == f"Portrait of {person.name}"
    with translation.override("es"):
        assert person.photo_description == f"Retrato de {person.name}"

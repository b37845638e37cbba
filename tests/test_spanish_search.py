"""Search on the Spanish site (/es/buscar/): the demo articles found by the words Spanish-speaking readers use,
the seeded synonyms with or without accents, Spanish suggestions and the empty page's examples."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, PracticeArea, SearchSynonym
from articles.search import rebuild_vocabulary

pytestmark = pytest.mark.django_db

# The migrations that seed Spanish synonyms; articles/demo_content/es/synonyms.txt lists their phrases.
SPANISH_SYNONYM_MIGRATIONS = ("0014_spanish", "0019_more_spanish_synonyms")


@pytest.fixture
def demo_content():
    """The real demo articles (English and Spanish) and the Spanish synonyms the migration seeds."""
    from importlib import import_module

    for name in SPANISH_SYNONYM_MIGRATIONS:  # a transactional test may have flushed what they seeded
        for phrase, expansion in import_module(f"articles.migrations.{name}").SPANISH_SYNONYMS:
            SearchSynonym.objects.get_or_create(
                language="es", phrase=phrase, defaults={"expansion": expansion}
            )
    call_command("load_demo_content", stdout=StringIO())
    rebuild_vocabulary()


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("negligencia medica", "negligencia-medica-vs-negligencia-comun"),
        ("me caí en la acera", "caidas-en-la-acera-y-propiedades"),
        ("resbalón", "caidas-en-la-acera-y-propiedades"),
        ("choque de carro", "accidente-de-auto-no-fault-lesion-grave"),
        ("cuánto tiempo tengo para demandar a un doctor", "plazo-demanda-negligencia-medica-nueva-york"),
        ("me atropelló un autobús de la ciudad", "aviso-de-reclamo-90-dias"),
        ("la aseguranza no quiere pagar", "accidente-de-auto-no-fault-lesion-grave"),
        ("tengo que mandar una notificación de reclamo", "aviso-de-reclamo-90-dias"),
    ],
)
def test_spanish_search_finds_the_right_demo_article(client, demo_content, query, slug):
    outcome = client.get("/es/buscar/", {"q": query}).context["outcome"]
    slugs = [article.slug for article in outcome.results]
    assert slug in slugs[:3], slugs
    assert all(article.language == "es" for article in outcome.results)


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("error en la cirugía", "errores-en-una-operacion"),
        ("el cirujano me dejó una gasa adentro", "errores-en-una-operacion"),
        ("me dieron la medicina equivocada", "errores-con-medicamentos"),
        ("la farmacia me dio otras pastillas", "errores-con-medicamentos"),
        ("mi bebé se lastimó en el parto", "lesiones-en-el-parto-preguntas-de-los-padres"),
        ("me caí en el contén", "caidas-en-la-acera-y-propiedades"),
        ("la guagua me atropelló", "aviso-de-reclamo-90-dias"),
        ("me cayó una viga en la obra", "accidente-de-construccion-ley-de-andamios"),
        ("me caí de un andamio", "accidente-de-construccion-ley-de-andamios"),
        ("me lastimé en el trabajo", "accidente-de-construccion-ley-de-andamios"),
        ("mi esposo murió en el hospital", "muerte-por-negligencia-nueva-york"),
    ],
)
def test_words_spanish_speaking_readers_use_find_the_right_article_first(client, demo_content, query, slug):
    """Everyday words (guagua, contén, pastillas) and whole worried sentences, as readers type them."""
    slugs = [article.slug for article in client.get("/es/buscar/", {"q": query}).context["outcome"].results]
    assert slugs[:1] == [slug], slugs


def test_mala_praxis_finds_the_medical_malpractice_articles(client, demo_content):
    results = client.get("/es/buscar/", {"q": "mala praxis"}).context["outcome"].results
    # The result names its practice area as the Spanish page does: by its Spanish name.
    area = PracticeArea.objects.get(slug_en="medical-malpractice")
    assert results and results[0].practice_area.name == area.name_es
    malpractice = (
        Article.objects.published().in_language("es").filter(practice_area__slug="medical-malpractice")
    )
    assert {article.slug for article in results} >= set(malpractice.values_list("slug", flat=True))


def test_synonym_phrases_match_with_or_without_accents(client, demo_content):
    def slugs(query):
        return [
            article.slug for article in client.get("/es/buscar/", {"q": query}).context["outcome"].results
        ]

    assert slugs("me cai en el conten") == slugs("me caí en el contén")
    assert slugs("mala práxis")[:1] == slugs("mala praxis")[:1]


def test_synonyms_txt_lists_every_seeded_spanish_phrase():
    from importlib import import_module

    from articles.management.commands.load_demo_content import SPANISH_DIR

    seeded = [
        (phrase, expansion)
        for name in SPANISH_SYNONYM_MIGRATIONS
        for phrase, expansion in import_module(f"articles.migrations.{name}").SPANISH_SYNONYMS
    ]
    lines = (SPANISH_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines()
    assert [tuple(line.split(" => ")) for line in lines if line.strip()] == seeded


def test_spanish_search_gets_spanish_suggestions(client, demo_content):
    outcome = client.get("/es/buscar/", {"q": "negligensia"}).context["outcome"]
    assert outcome.total == 0
    assert outcome.suggestion == "negligencia"
    assert client.get("/es/buscar/", {"q": outcome.suggestion}).context["outcome"].total > 0
    # The English site still searches English articles only.
    outcome = client.get("/search/", {"q": "negligencia medica"}).context["outcome"]
    assert all(article.language == "en" for article in outcome.results)


def first_result_topic(client, path, query):
    """The English slug of the first result: its own, or its English twin's."""
    results = client.get(path, {"q": query}).context["outcome"].results
    assert results, (path, query)
    first = results[0]
    return first.slug if first.language == "en" else Article.objects.get(pk=first.pk).counterpart.slug


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("el doctor no vio mi cáncer", "missed-or-delayed-diagnosis"),
        ("al doctor se le pasó la fractura", "missed-or-delayed-diagnosis"),
        ("me cayó una viga en la obra", "construction-accident-scaffold-law"),
    ],
)
def test_a_worried_readers_sentence_finds_the_right_twin_first(client, demo_content, query, topic):
    assert first_result_topic(client, "/es/buscar/", query) == topic


# The examples the empty search page suggests, and the article (by its English slug) each must find first.
HINT_EXAMPLES = {
    "/search/": (
        "“",
        "”",
        {
            "missed diagnosis": "missed-or-delayed-diagnosis",
            "hurt at work": "construction-accident-scaffold-law",
        },
    ),
    "/es/buscar/": (
        "«",
        "»",
        {
            "diagnóstico tardío": "missed-or-delayed-diagnosis",
            "me caí en la acera": "slip-and-fall-property-owner",
        },
    ),
}


@pytest.mark.parametrize("path", HINT_EXAMPLES)
def test_the_empty_search_pages_examples_find_an_article_in_that_language(client, demo_content, path):
    opening, closing, expected = HINT_EXAMPLES[path]
    lead = re.search(r'<p class="lead">(.*?)</p>', client.get(path).content.decode(), re.S).group(1)
    examples = re.findall(f"{opening}(.+?){closing}", lead)
    assert sorted(examples) == sorted(expected), lead
    for example in examples:
        assert first_result_topic(client, path, example) == expected[example], example

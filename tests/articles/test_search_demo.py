"""The demo articles and the seeded synonyms, searched the way worried readers actually type."""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import SearchSynonym
from articles.search import rebuild_vocabulary

pytestmark = pytest.mark.django_db

# What a reader types -> the article that should be among the first three results.
READER_PHRASES = {
    "doctor missed my cancer": "missed-or-delayed-diagnosis",
    "surgery mistake": "surgical-errors",
    "how long do I have to sue a hospital": "new-york-medical-malpractice-time-limit",
    "med mal": "medical-malpractice-vs-negligence",
    "slip and fall": "slip-and-fall-property-owner",
    "trip and fall": "slip-and-fall-property-owner",
    "car crash": "car-accident-no-fault-serious-injury",
    "fell off a ladder at work": "construction-accident-scaffold-law",
    "injuries": "car-accident-no-fault-serious-injury",
}


@pytest.fixture
def demo_content():
    # A transactional test elsewhere may have flushed the rows the migrations seeded.
    for name in ("0003_search", "0005_more_synonyms"):
        for phrase, expansion in importlib.import_module(f"articles.migrations.{name}").SYNONYMS:
            SearchSynonym.objects.get_or_create(
                language="en", phrase=phrase, defaults={"expansion": expansion}
            )
    call_command("load_demo_content", stdout=StringIO())
    rebuild_vocabulary()


@pytest.mark.parametrize(("query", "slug"), READER_PHRASES.items())
def test_everyday_phrases_find_the_right_article_on_the_first_screen(client, demo_content, query, slug):
    results = client.get("/search/", {"q": query}).context["outcome"].results
    assert slug in [article.slug for article in results[:3]], [article.slug for article in results]


def test_a_misspelt_query_gets_a_suggestion_that_finds_articles(client, demo_content):
    outcome = client.get("/search/", {"q": "malpratice"}).context["outcome"]
    assert outcome.total == 0
    assert outcome.suggestion == "malpractice"
    assert client.get("/search/", {"q": outcome.suggestion}).context["outcome"].total > 0


def test_drafts_and_scheduled_demo_articles_are_not_found(client, demo_content):
    for query in ("birth injury", "how an injury case works"):
        slugs = [a.slug for a in client.get("/search/", {"q": query}).context["outcome"].results]
        assert "birth-injuries-questions-parents-ask" not in slugs
        assert "how-an-injury-case-works" not in slugs

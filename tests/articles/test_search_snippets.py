"""Search snippets cut and highlighted in Python (articles/snippets.py), and the ranking statement compiled once
(articles/search_statement.py): the words PostgreSQL's configuration matches are the ones highlighted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search_statement, snippets
from articles.search import search
from articles.search_statement import SearchHit, ranked, run
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FILLER = " ".join(f"filler{n}" for n in range(400))  # 400 words that match nothing


def snippet_of(query: str, language: str = "en") -> str:
    (result,) = search(query, language=language).results
    return str(result.snippet_html)


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_stemmed_forms_and_capitals_are_highlighted_and_other_words_are_not(client):
    ArticleFactory(
        title="Injuries",
        body="An Injury at work. INJURIES add up. The injured worker was injuring nobody. A ladder.",
    )
    html = snippet_of("injuries")
    # injury/injuries share the lexeme 'injuri'; injured and injuring are 'injur', another word to PostgreSQL.
    assert marked(html) == ["Injury", "INJURIES"]


def test_stop_words_are_never_highlighted():
    ArticleFactory(title="Trampolines", body="The trampoline and the fall from the trampoline.")
    assert marked(snippet_of("the trampoline")) == ["trampoline", "trampoline"]


def test_spanish_accents_are_folded_both_ways():
    ArticleFactory(
        language="es",
        title="Diagnóstico tardío",
        body="Un diagnóstico tardío puede ser negligencia médica. El diagnostico sin acento también cuenta.",
    )
    assert marked(snippet_of("diagnostico medica", "es")) == ["diagnóstico", "médica", "diagnostico"]
    assert marked(snippet_of("diagnóstico", "es")) == ["diagnóstico", "diagnostico"]


def test_the_snippet_comes_from_around_the_first_match_deep_in_a_long_article():
    ArticleFactory(title="Long", body=f"{FILLER} The scaffold collapsed under him. {FILLER}")
    html = snippet_of("scaffold")
    assert marked(html) == ["scaffold"]
    assert not html.startswith("filler0 ")  # not the start of the article
    words = html.replace("<mark>", "").replace("</mark>", "").split()
    assert all(re.fullmatch(r"filler\d+|The|scaffold|collapsed|under|him\.", word) for word in words), words
    assert len(words) <= snippets.MAX_WORDS


def test_matches_far_apart_give_two_fragments():
    between = " ".join(f"filler{n}" for n in range(60))  # inside one window, too far for one fragment
    body = f"A crane fell. {between} The hoist broke. {FILLER}"
    ArticleFactory(title="Machines", body=body)
    html = snippet_of("crane hoist")
    assert snippets.DELIMITER in html
    assert marked(html) == ["crane", "hoist"]


def test_a_title_only_match_shows_the_start_of_the_body_unmarked():
    ArticleFactory(title="Whiplash", body=FILLER)
    html = snippet_of("whiplash")
    assert marked(html) == []
    assert html.split() == FILLER.split()[: snippets.MIN_WORDS]


def test_each_word_is_looked_up_once_per_process():
    ArticleFactory(title="Pothole", body="A pothole on Main Street. Potholes again.")
    snippets._lexemes.clear()
    with CaptureQueriesContext(connection) as first:
        search("pothole")
    with CaptureQueriesContext(connection) as again:
        assert marked(snippet_of("pothole")) == ["pothole", "Potholes"]
    lookups = [q for q in first.captured_queries if "tsvector_to_array" in q["sql"]]
    assert len(lookups) == 1
    assert not [q for q in again.captured_queries if "tsvector_to_array" in q["sql"]]


def test_the_ranking_query_is_compiled_once_and_its_text_is_the_same_for_every_search():
    ArticleFactory(title="Trampoline falls", body="A trampoline.")
    ArticleFactory(title="Dog bites", body="A dog.")
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert [a.title for a in search("trampoline").results] == ["Trampoline falls"]
        assert [a.title for a in search("dog").results] == ["Dog bites"]
    ranking = [sql for sql in sent if "ts_rank" in sql]
    # One text, the words only parameters: psycopg prepares it once per connection.
    assert len(ranking) == 2 and ranking[0] == ranking[1]
    assert "trampoline" not in ranking[0]


def test_the_statement_sees_the_clock_at_each_search(time_machine):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory.scheduled(when=timezone.now() + timedelta(hours=1), title="Ice falls", body="Ice.")
    assert search("ice").total == 0
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert search("ice").total == 1


@pytest.mark.parametrize(("terms", "page", "count"), [(1, 1, 10), (2, 2, 10), (3, 3, 5), (1, 4, 0)])
def test_the_compiled_ranking_gives_what_the_queryset_gives(monkeypatch, terms, page, count):
    for n in range(25):
        ArticleFactory(title=f"Ladder fall {n}", body=f"A ladder {'ladder ' * n}fall.", language="en")
    ArticleFactory(title="Escalera", body="Una escalera.", language="es")
    texts = ["ladder", *["fall or scaffold"] * (terms - 1)]
    compiled, total = run(texts, page, "en")
    assert len(compiled) == count and total == (25 if count else 0)
    # The same search through the plain ORM (what a deeper page or a query with more synonyms runs).
    monkeypatch.setattr(search_statement, "COMPILED_PAGES", 0)
    assert run(texts, page, "en") == (compiled, total)
    expected = [SearchHit.from_row(row, "en") for row in ranked("en", page, timezone.now(), texts)]
    assert compiled == expected  # every column: title, text, area, rank, total, tsquery
    assert all(hit.practice_area.name for hit in compiled)


def test_a_short_word_is_highlighted_in_its_forms_only():
    ArticleFactory(title="Cars", body="A car hit two cars. Take care of the cat and the cart. CAR.")
    assert marked(snippet_of("car")) == ["car", "cars", "CAR"]


def test_a_word_that_only_starts_like_the_query_does_not_anchor_the_snippet():
    # "Medicaid" starts like the lexeme 'medic' but is another word to PostgreSQL.
    ArticleFactory(title="Medical bills", body=f"Medicaid pays some bills. {FILLER} Medical records matter.")
    html = snippet_of("medical")
    assert marked(html) == ["Medical"]
    assert "Medicaid" not in html


def test_the_snippet_is_the_same_whatever_this_process_has_already_looked_up():
    ArticleFactory(title="Medical files", body=f"Medicaid. {FILLER} The medical file. {FILLER} Medics.")
    snippets._lexemes.clear()
    cold = snippet_of("medical")
    snippets._lexemes.clear()
    snippets.lexemes_of({"medics"}, "lawsite_english")  # only the last match known: read on to it
    assert snippet_of("medical") == cold
    assert snippet_of("medical") == cold  # every word known
    assert marked(cold) == ["medical"]

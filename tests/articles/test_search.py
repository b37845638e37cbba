import re

import pytest
from django.urls import reverse

from articles.models import Approval, Article, SearchSynonym
from articles.search import clean_query, rebuild_vocabulary
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def result_titles(response) -> list[str]:
    return [a.title for a in response.context["outcome"].results]


def test_a_title_match_ranks_above_a_body_match(client):
    ArticleFactory(title="Understanding hospital bills", body="Nothing about the topic.\n\n## Costs\n\nNo.")
    ArticleFactory(title="Pothole claims", body="A pothole can injure cyclists.\n\n## Roads\n\nText.")
    ArticleFactory(
        title="Slip and fall basics", body="Some mention a pothole once in the body.\n\n## X\n\nY."
    )
    assert result_titles(client.get(SEARCH, {"q": "pothole"})) == ["Pothole claims", "Slip and fall basics"]


def test_stemming_finds_injury_for_injuries(client):
    ArticleFactory(title="What counts as a serious injury", body="The serious injury rule.\n\n## A\n\nB.")
    assert result_titles(client.get(SEARCH, {"q": "injuries"})) == ["What counts as a serious injury"]


def test_accents_are_folded(client):
    ArticleFactory(title="Cafe accidents", body="Falls in a café.\n\n## A\n\nB.")
    assert result_titles(client.get(SEARCH, {"q": "café"})) == ["Cafe accidents"]


def test_synonyms_map_everyday_words_to_legal_terms(client):
    ArticleFactory(title="Medical malpractice explained", body="When care falls short.\n\n## A\n\nB.")
    SearchSynonym.objects.update_or_create(phrase="med mal", defaults={"expansion": "medical malpractice"})
    assert result_titles(client.get(SEARCH, {"q": "med mal"})) == ["Medical malpractice explained"]


def test_staff_can_add_a_synonym_that_works_at_once(client, admin_client, django_capture_on_commit_callbacks):
    ArticleFactory(title="Notice of claim against the city", body="Ninety days.\n\n## A\n\nB.")
    assert result_titles(client.get(SEARCH, {"q": "bus crash"})) == []
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_searchsynonym_add"),
            {"language": "en", "phrase": "Bus  Crash", "expansion": "notice of claim"},
        )
    assert SearchSynonym.objects.get(expansion="notice of claim").phrase == "bus crash"
    assert result_titles(client.get(SEARCH, {"q": "bus crash"})) == ["Notice of claim against the city"]


def test_a_whole_sentence_still_finds_the_right_article(client):
    ArticleFactory(title="How long you have to sue a hospital", body="Time limits.\n\n## Deadlines\n\nText.")
    ArticleFactory(title="Dog bites", body="Dogs.\n\n## A\n\nB.")
    response = client.get(SEARCH, {"q": "how long do I have to sue a hospital in Brooklyn"})
    assert result_titles(response)[0] == "How long you have to sue a hospital"


def test_websearch_syntax_quotes_and_minus(client):
    ArticleFactory(title="Surgical error cases", body="A surgical error in the operating room.\n\n## A\n\nB.")
    ArticleFactory(title="Error in billing", body="A billing error, not surgical at all.\n\n## A\n\nB.")
    assert result_titles(client.get(SEARCH, {"q": '"surgical error"'})) == ["Surgical error cases"]
    assert result_titles(client.get(SEARCH, {"q": "error -billing"})) == ["Surgical error cases"]


def test_a_misspelt_query_gets_a_did_you_mean_suggestion(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(
            title="Medical malpractice or negligence", body="Explained.\n\n## Standard of care\n\nX."
        )
    rebuild_vocabulary()
    response = client.get(SEARCH, {"q": "malpratice"})
    html = response.content.decode()
    assert response.context["outcome"].suggestion == "malpractice"
    assert 'Did you mean <a href="/search/?q=malpractice">malpractice</a>?' in html


def test_a_suggestion_is_looked_up_once_per_content_version(client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Medical malpractice basics", body="Explained.\n\n## Standard of care\n\nX.")
    assert client.get(SEARCH, {"q": "malpratice"}).context["outcome"].suggestion == "malpractice"
    with CaptureQueriesContext(connection) as again:
        assert client.get(SEARCH, {"q": "malpratice"}).context["outcome"].suggestion == "malpractice"
    assert not [q for q in again.captured_queries if "similarity" in q["sql"]]  # from the cache
    # An edit moves the content version: the next lookup sees the new vocabulary.
    assert client.get(SEARCH, {"q": "whiplsh"}).context["outcome"].suggestion == ""
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Whiplash claims", body="Neck.\n\n## A\n\nB.")
    assert client.get(SEARCH, {"q": "whiplsh"}).context["outcome"].suggestion == "whiplash"


def test_drafts_and_scheduled_articles_never_appear(client):
    ArticleFactory.draft(title="Secret draft about fractures")
    ArticleFactory.scheduled(title="Future piece about fractures")
    rebuild_vocabulary()
    response = client.get(SEARCH, {"q": "fractures"})
    assert result_titles(response) == []
    assert "Secret draft" not in response.content.decode()
    assert "Future piece" not in response.content.decode()


def test_snippets_highlight_matches_and_escape_everything_else(client):
    ArticleFactory(title="Escaping", body="Here is <b>bold</b> &amp; a **ladder** fall.\n\n## A\n\nB.")
    html = client.get(SEARCH, {"q": "ladder"}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>ladder</mark>" in snippet
    assert "&amp;" in snippet  # text is escaped...
    assert "<b>" not in snippet  # ...and nothing the author typed becomes markup


HOSTILE = [
    "",
    "   ",
    "a" * 2500,
    "injury\x00fall",
    "& | ! : * ( ) '",
    "'; DROP TABLE articles_article; --",
    "fall:* & !(injury | ')",
    '<script>alert("x")</script>',
    "\r\nSet-Cookie: x=1",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200_with_the_query_escaped(client, query):
    ArticleFactory(title="Falls", body="A fall injury.\n\n## A\n\nB.")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert len(response.context["outcome"].query) <= 200
    assert "\x00" not in html


def test_a_raw_nul_and_bad_utf8_in_the_address_are_harmless(client):
    assert client.get("/search/?q=%00%ff%fe%ED%A0%80fall").status_code == 200


def test_clean_query_keeps_words_and_drops_control_characters():
    assert clean_query("  doctor\x00 missed\tmy \x1b cancer ") == "doctor missed my cancer"
    assert clean_query("\ud800lone surrogate") == "lone surrogate"
    assert len(clean_query("x" * 5000)) == 200


def test_search_page_is_noindex_keeps_the_query_and_announces_the_count(client):
    ArticleFactory(title="Falls on ice", body="Ice.\n\n## A\n\nB.")
    html = client.get(SEARCH, {"q": "ice"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'id="site-search-q"' in html and 'value="ice"' in html
    assert re.search(r'role="status" aria-live="polite">\s*1 article found for “ice”', html)
    assert html.count("<h1") == 1
    assert html.count('type="search"') == 1  # one query box: the header's, holding the query


def test_snippets_come_from_sentences_never_from_joined_table_cells(client):
    ArticleFactory(
        title="Deadlines",
        body="A missed diagnosis of cancer can be a claim. Time limits are short.\n\n"
        "| claim | time limit |\n|---|---|\n| Missed cancer diagnosis | 2 years from discovery |\n"
        "| Surgery error | 2.5 years (if later) |\n\n## More\n\nText.",
    )
    html = client.get(SEARCH, {"q": "cancer"}).content.decode()
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>cancer</mark> can be a claim" in snippet
    assert "discovery" not in snippet and "Surgery error" not in snippet
    # Words only in a table still find the article.
    assert "Deadlines" in client.get(SEARCH, {"q": "surgery"}).content.decode()


def test_no_results_is_not_a_dead_end(client):
    ArticleFactory(title="Falls", body="Fall.\n\n## A\n\nB.")
    html = client.get(SEARCH, {"q": "zzzqqq"}).content.decode()
    assert "No articles matched “zzzqqq”." in html
    assert "Other ways to find help" in html
    assert "Request a free consultation" in html
    assert 'href="tel:+12127665222"' in html


@pytest.mark.parametrize("query", ["ladder", "zzzqqq unknownword"])
def test_search_stays_within_five_queries_and_never_writes(client, django_assert_max_num_queries, query):
    for n in range(15):
        ArticleFactory(title=f"Ladder fall {n}", body="A ladder.\n\n## A\n\nB.")
    rebuild_vocabulary()
    client.get(SEARCH, {"q": "warm the synonym cache"})
    with django_assert_max_num_queries(5) as captured:
        assert client.get(SEARCH, {"q": query}).status_code == 200
    assert not [
        q for q in captured.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
    ]


def test_a_scheduled_articles_words_are_suggested_once_it_goes_live(
    client, django_capture_on_commit_callbacks
):
    from datetime import UTC, datetime, timedelta

    import time_machine

    noon = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with time_machine.travel(noon, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory.scheduled(
                when=noon + timedelta(hours=1), title="Whiplash claims", body="Neck.\n\n## A\n\nB."
            )
        assert client.get(SEARCH, {"q": "whiplsh"}).context["outcome"].suggestion == ""  # not yet public
        traveller.move_to(noon + timedelta(hours=1, seconds=1))
        outcome = client.get(SEARCH, {"q": "whiplsh"}).context["outcome"]  # no save in between
        assert outcome.suggestion == "whiplash"
        assert result_titles(client.get(SEARCH, {"q": outcome.suggestion})) == ["Whiplash claims"]


def test_a_synonym_edit_moves_the_content_version_so_every_process_reloads_them(
    django_capture_on_commit_callbacks,
):
    from articles.page_cache import watch

    before, _ = watch.current()
    with django_capture_on_commit_callbacks(execute=True):
        SearchSynonym.objects.create(phrase="whiplash", expansion="neck injury")
    assert watch.current()[0] == before + 1


@pytest.mark.parametrize(("language", "words"), [("en", "medical malpractice"), ("es", "negligencia médica")])
def test_the_ranking_query_finds_its_rows_through_the_gin_index_in_both_languages(language, words):
    """The ranking query can read its matching rows from the GIN index on search_vector (article_search_vector)
    in both languages (EXPLAIN): its filter is on the indexed column with the index's operator, so a change
    that wraps the column or matches on another expression fails here.

    The test asks PostgreSQL for a bitmap index path (sequential and plain index scans off) instead of
    waiting for the planner to prefer one: whether it does depends on the index's statistics and pending
    list, which the rolled-back rows of earlier tests change, and a test that depended on them failed on a
    clean CI run while passing alone. With those scans off and 3,000 other published articles in the language, a query the index cannot
    serve shows a (disabled) sequential scan or the language's btree index, never this one."""
    from django.db import connection
    from django.utils import timezone

    from articles.i18n import search_config
    from articles.search_statement import ranked

    original = ArticleFactory(
        language=language, title=words.capitalize(), body=f"## {words}\n\nAbout {words}."
    )

    def columns(model, leave_out) -> str:
        return ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields if f.column not in leave_out)

    article = columns(Article, {"id", "slug", "search_vector", "counterpart_id", "approved_version_id"})
    approval = columns(Approval, {"id"})
    # 3,000 more published and approved articles in the language, about something else (each with its own
    # slug and approval row): an index scan of the language's published rows would read 3,001.
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH approvals AS (INSERT INTO articles_approval ({approval}) SELECT {approval} "  # noqa: S608
            "FROM articles_approval, generate_series(1, 3000) WHERE id = %s RETURNING id), "
            "numbered AS (SELECT id, row_number() OVER () AS n FROM approvals) "
            f'INSERT INTO articles_article ({article}, "slug", "search_vector", "approved_version_id") '
            f"SELECT {article}, slug || '-' || n, to_tsvector(%s, 'unrelated words number ' || n), numbered.id "
            "FROM articles_article, numbered WHERE articles_article.id = %s",
            [original.approved_version_id, search_config(language), original.pk],
        )
        cursor.execute("ANALYZE articles_article")
        # The rows above sit in the index's pending list (fastupdate), which the planner prices as read in full.
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector'::regclass)")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = ranked(language, 1, timezone.now(), [words]).query.get_compiler("default").as_sql()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_search_vector" in plan, plan
    assert [row[0] for row in ranked(language, 1, timezone.now(), [words])] == [original.pk]

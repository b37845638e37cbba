"""Site search over published articles: PostgreSQL full text, ranked, with synonyms and typo suggestions.

A search runs in up to three steps, each one query, and stops at the first that finds something:
1. the reader's words with websearch_to_tsquery semantics (quotes, -word, or), OR'd with the legal terms
   from the synonym table that their words map to;
2. relaxed: any of their words (a worried reader types a whole sentence);
3. nothing found: a "Did you mean" suggestion from trigram similarity against published titles and headings.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Window
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import SEARCH_CONFIG as CONFIG
from articles.models import Article, SearchSynonym, SearchTerm
from articles.page_cache import watch as content_state

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
WEIGHTS = [0.1, 0.3, 0.6, 1.0]  # D, C, B, A: a title match outranks a body match
SYNONYMS_CACHE_KEY = "search:synonyms"
SYNONYMS_CACHE_SECONDS = 24 * 3600
# Private-use characters mark the highlights in ts_headline output; they are stripped from input and
# survive HTML escaping, so only our own <mark> tags become markup.
START, STOP = "\ue000", "\ue001"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def clean_query(raw: str) -> str:
    """What we search for: printable text, no NUL/control/surrogate characters, at most 200 characters."""
    text = "".join(
        ch if unicodedata.category(ch)[0] not in {"C"} else " "
        for ch in (raw or "")[: MAX_QUERY_LENGTH * 4]
        if ch not in (START, STOP)
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def synonyms() -> list[tuple[str, str]]:
    """(phrase, expansion) pairs, cached under the content version, which any synonym edit bumps
    (articles/page_cache.py), so every app process uses an edit on its very next search."""
    version, _ = content_state.current()
    key = f"{SYNONYMS_CACHE_KEY}:{version}"
    pairs = cache.get(key)
    if pairs is None:
        pairs = list(SearchSynonym.objects.values_list("phrase", "expansion"))
        cache.set(key, pairs, SYNONYMS_CACHE_SECONDS)
    return pairs


def expansions_for(query: str) -> list[str]:
    words = " " + " ".join(WORD.findall(query.lower())) + " "
    return [expansion for phrase, expansion in synonyms() if f" {phrase} " in words]


@dataclass
class SearchResult:
    query: str
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    relaxed: bool = False
    suggestion: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _run(tsquery: SearchQuery, page: int) -> tuple[list, int]:
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        Article.objects.published()
        .live_text()  # readers see the approved title and summary
        .filter(search_vector=tsquery)
        .select_related("practice_area")
        .only(
            "title",
            "slug",
            "summary",
            "published_at",
            "reading_minutes",
            "content_hash",
            "practice_area__name",
            "practice_area__slug",
            "approved_version__title",
            "approved_version__summary",
            "approved_version__reading_minutes",
            "approved_version__content_hash",
        )  # fmt: skip
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery, weights=WEIGHTS),
            snippet=SearchHeadline(
                "body_text",
                tsquery,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            total=Window(Count("pk")),
        )
        .order_by("-rank", "-published_at")[offset : offset + PAGE_SIZE]
    )
    for row in rows:
        if row.content_hash != row.approved_version.content_hash:
            # Edited since its approval: the stored text is not what readers may see yet.
            row.snippet_html = escape(row.summary)
            continue
        row.snippet_html = mark_safe(  # noqa: S308  escaped first; only our own markers become <mark>
            escape(row.snippet).replace(START, "<mark>").replace(STOP, "</mark>")
        )
    return rows, (rows[0].total if rows else 0)


def suggest(query: str) -> str:
    """Replace each unknown word with the closest word from the titles and headings that are live now."""
    words = [w.lower() for w in WORD.findall(query)][:12]
    if not words:
        return ""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.word,
                   CASE WHEN to_tsvector('english', q.word) = ''::tsvector
                             OR EXISTS (SELECT 1 FROM {SearchTerm._meta.db_table} t
                                        WHERE t.word = q.word AND t.available_from <= %s)
                        THEN NULL
                        ELSE (SELECT t.word FROM {SearchTerm._meta.db_table} t
                              WHERE t.word %% q.word AND t.available_from <= %s
                              ORDER BY similarity(t.word, q.word) DESC, t.word LIMIT 1)
                   END
            FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
            ORDER BY q.n
            """,  # noqa: S608  (table names from the model; the words are parameters)
            [now, now, words],  # the same clock as Article.objects.published()
        )
        pairs = cursor.fetchall()
    corrected = [better or word for word, better in pairs]
    return " ".join(corrected) if corrected != words else ""


def search(raw_query: str, page: int = 1) -> SearchResult:
    query = clean_query(raw_query)
    outcome = SearchResult(query=query, page=max(1, page))
    if not WORD.search(query):
        return outcome
    legal_terms = expansions_for(query)

    def with_synonyms(text: str) -> SearchQuery:
        tsquery = SearchQuery(text, search_type="websearch", config=CONFIG)
        for expansion in legal_terms:
            tsquery |= SearchQuery(expansion, search_type="websearch", config=CONFIG)
        return tsquery

    outcome.results, outcome.total = _run(with_synonyms(query), outcome.page)
    if outcome.total == 0:  # a whole sentence rarely matches as a whole: try any of its words
        outcome.results, outcome.total = _run(with_synonyms(" or ".join(WORD.findall(query))), outcome.page)
        outcome.relaxed = outcome.total > 0
    if outcome.total == 0 and outcome.page == 1:
        outcome.suggestion = suggest(query)
    return outcome


def rebuild_vocabulary() -> int:
    """The words of published and scheduled titles and headings, each with the time it goes live, for
    suggestions. Run when articles change."""
    live_from: dict[str, datetime] = {}
    articles = (Article.objects.published() | Article.objects.scheduled()).only(
        "title", "toc", "published_at"
    )
    for article in articles:
        text = f"{article.title} {article.headings_text()}".lower()
        for word in {w for w in WORD.findall(text) if 3 <= len(w) <= 60}:
            live_from[word] = min(live_from.get(word, article.published_at), article.published_at)
    SearchTerm.objects.exclude(word__in=live_from).delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, available_from=when) for word, when in sorted(live_from.items())],
        update_conflicts=True,
        unique_fields=["word"],
        update_fields=["available_from"],
    )
    return len(live_from)

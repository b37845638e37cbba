"""The ranking query of articles/search.py, its SQL written once per process (articles/compiled_queries.py).

Writing a queryset with SearchRank, SearchHeadline and a window count cost Django ~3 ms per search, several
times what running it cost PostgreSQL. The SQL depends on little: the language (its text search configuration),
how many texts are OR'd into the tsquery (the reader's words, then each synonym expansion) and the page (Django
writes LIMIT/OFFSET into the text). Those are the compiled query's shape; the texts and the clock are values.
The same SQL text each time also lets psycopg's prepared statements skip PostgreSQL's parsing and planning.

A result is a `SearchHit`, built from the row's values, not an Article instance: turning the demo search's six
rows into Article and PracticeArea instances (modeltranslation's __init__, deferred fields, select_related) cost
about 0.3 ms of a 2.3 ms search page; a hit has what the results page shows and nothing else.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db.models import BooleanField, Count, F, Func, TextField, Window
from django.db.models.functions import Cast
from django.utils import timezone

from articles.addresses import address
from articles.cards import AreaName
from articles.compiled_queries import CompiledQuery
from articles.i18n import search_config, translated
from articles.models import Article

PAGE_SIZE = 10
# Shapes compiled (each kept per thread and language): the first pages, with up to this many texts; a deeper
# page or a query matching more synonyms runs through the plain ORM, as before.
COMPILED_PAGES = 10
COMPILED_TERMS = 8
WEIGHTS = [0.1, 0.3, 0.6, 1.0]  # D, C, B, A: a title match outranks a body match
# What a result shows (its practice area's name in both languages: the page's is picked in Python) and the text
# its snippet is cut from (articles/snippets.py); ranked() adds the rank, the tsquery as text and the total.
SHOWN = (
    "pk", "title", "slug", "summary", "language", "body_text", "practice_area__name_en", "practice_area__name_es",
)  # fmt: skip


@dataclass(slots=True)
class SearchHit:
    """One result: an article's title, address, summary and practice area, the text its snippet comes from, and
    the ranking query's figures (rank; the tsquery as text, for the snippets; the total matched)."""

    pk: int
    title: str
    slug: str
    summary: str
    language: str
    body_text: str
    practice_area: AreaName
    rank: float
    query: str
    total: int
    snippet_html: str = ""

    @classmethod
    def from_row(cls, row: tuple, language: str) -> "SearchHit":
        """A hit from a row of ranked(): SHOWN's columns, then rank, query and total."""
        pk, title, slug, summary, article_language, body_text, name_en, name_es, rank, query, total = row
        area = AreaName(translated(name_en, name_es, language))
        return cls(pk, title, slug, summary, article_language, body_text, area, rank, query, total)

    def get_absolute_url(self) -> str:
        return address("articles:detail", self.language, self.slug)  # as Article.get_absolute_url


class Once(Func):
    """The tsquery as a scalar subquery, which PostgreSQL computes once per query (an InitPlan). Written inline,
    websearch_to_tsquery ran again for every row ts_rank scores and, with a prepared statement's generic plan,
    for every row a filter reads: 63 ms instead of 7 on a 9,200-row table when the GIN index was not used."""

    template = "(SELECT %(expressions)s)"
    output_field = SearchQueryField()


class Matches(Func):
    """search_vector @@ tsquery, as a filter (the GIN index article_search_vector serves it)."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


def tsquery(texts: list[str], language: str) -> Once:
    """websearch_to_tsquery of each text, OR'd: the reader's words, then each legal term they map to."""
    config = search_config(language)
    query = SearchQuery(texts[0], search_type="websearch", config=config)
    for text in texts[1:]:
        query |= SearchQuery(text, search_type="websearch", config=config)
    return Once(query)


def ranked(language: str, page: int, now: datetime, texts: list[str]):
    """The page's published articles in `language` matching any of `texts`, best first, each with its rank,
    the tsquery as text (its lexemes, for the snippets) and the total number of matches."""
    query = tsquery(texts, language)
    offset = (page - 1) * PAGE_SIZE
    return (
        Article.objects.published(now)
        .in_language(language)
        .filter(Matches(F("search_vector"), query))
        .annotate(
            rank=SearchRank(F("search_vector"), query, weights=WEIGHTS),
            query=Cast(query, output_field=TextField()),
            total=Window(Count("pk")),
        )
        .order_by("-rank", "-published_at")
        .values_list(*SHOWN, "rank", "query", "total")[offset : offset + PAGE_SIZE]
    )


@cache  # at most COMPILED_TERMS shapes
def _compiled(terms: int) -> CompiledQuery:
    """The compiled query for `terms` texts (named text0, text1, …)."""
    names = [f"text{n}" for n in range(terms)]
    return CompiledQuery(
        lambda language, page, now, **texts: ranked(language, page, now, [texts[name] for name in names]),
        now=datetime,
        **dict.fromkeys(names, str),
    )


def run(texts: list[str], page: int, language: str) -> tuple[list[SearchHit], int]:
    """The page's results (see ranked()) and the total."""
    now = timezone.now()
    if page <= COMPILED_PAGES and len(texts) <= COMPILED_TERMS:
        values = {f"text{n}": text for n, text in enumerate(texts)}
        rows = _compiled(len(texts)).all((language, page), now=now, **values)
    else:
        rows = list(ranked(language, page, now, texts))
    hits = [SearchHit.from_row(row, language) for row in rows]
    return hits, (hits[0].total if hits else 0)

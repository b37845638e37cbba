"""The ranking query of articles/search.py, compiled by the ORM once per process and shape, then only run.

Compiling a queryset with SearchRank, SearchHeadline and a window count cost Django ~3 ms per search, several
times what running it cost PostgreSQL. What the compiled SQL depends on is small: the page's language, how many
texts are OR'd into the tsquery (the reader's words plus each synonym expansion) and the page number (Django
writes LIMIT/OFFSET into the text). So the queryset is built once per such shape with placeholders for the texts,
and each search binds its own texts and the current time to the cached SQL. The same SQL text each time also
lets psycopg's prepared statements (lawsite/settings/core.py) skip PostgreSQL's parsing.

The queryset is the ORM's, so "public" is still Article.objects.published() and nothing here repeats it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Count, F, Func, Model, TextField, Window
from django.db.models.functions import Cast
from django.utils import timezone

from articles.i18n import search_config
from articles.models import Article

PAGE_SIZE = 10
WEIGHTS = [0.1, 0.3, 0.6, 1.0]  # D, C, B, A: a title match outranks a body match
SHOWN = (
    "title",
    "slug",
    "summary",
    "published_at",
    "reading_minutes",
    "language",
    "body_text",  # what the snippet is cut from (articles/snippets.py)
    "practice_area__name_en",
    "practice_area__slug_en",
    "practice_area__name_es",
    "practice_area__slug_es",
    "last_reviewed_on",  # the public date (Article.public_at)
)


class Text(str):
    """Stands for the n-th query text while the statement is compiled; replaced by the real text on each run."""

    def __new__(cls, index: int):
        text = super().__new__(cls, f"\ue000{index}")
        text.index = index
        return text


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


@dataclass(frozen=True)
class Row:
    """Where each part of a result row is: the article's columns, its practice area's, and the annotations."""

    model: type[Model]
    attnames: list[str]
    start: int
    stop: int

    def build(self, values: tuple) -> Model:
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values[self.start : self.stop])


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    article: Row
    area: Row
    set_area: Callable
    annotations: dict[str, int]

    def run(self, texts: list[str]) -> tuple[list[Article], int]:
        """The page's articles, best first, each with .rank and .query (the tsquery as text); and the total."""
        now = timezone.now()
        params = [
            texts[p.index] if isinstance(p, Text) else now if isinstance(p, datetime) else p
            for p in self.params
        ]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        articles = []
        for values in rows:
            article = self.article.build(values)
            self.set_area(article, self.area.build(values))
            for name, index in self.annotations.items():
                setattr(article, name, values[index])
            articles.append(article)
        return articles, (rows[0][self.annotations["total"]] if rows else 0)


@lru_cache(maxsize=256)
def statement(language: str, terms: int, page: int) -> Statement:
    """The compiled ranking query for `terms` texts in `language`, page `page` (1-based)."""
    query = tsquery([Text(n) for n in range(terms)], language)
    offset = (page - 1) * PAGE_SIZE
    queryset = (
        Article.objects.published()
        .in_language(language)
        .filter(Matches(F("search_vector"), query))
        .select_related("practice_area")
        .only(*SHOWN)
        .annotate(
            rank=SearchRank(F("search_vector"), query, weights=WEIGHTS),
            query=Cast(query, output_field=TextField()),  # its lexemes, for the snippets
            total=Window(Count("pk")),
        )
        .order_by("-rank", "-published_at")[offset : offset + PAGE_SIZE]
    )
    compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    if sum(isinstance(p, datetime) for p in params) != 1:  # published()'s clock, and nothing else
        raise ValueError("the ranking query should have exactly one time parameter")
    info = compiler.klass_info
    (area_info,) = info["related_klass_infos"]

    def row(klass_info) -> Row:
        fields = klass_info["select_fields"]
        attnames = [compiler.select[i][0].target.attname for i in fields]
        return Row(klass_info["model"], attnames, fields[0], fields[-1] + 1)

    return Statement(
        sql=sql,
        params=tuple(params),
        article=row(info),
        area=row(area_info),
        set_area=area_info["local_setter"],
        annotations=dict(compiler.annotation_col_map),
    )

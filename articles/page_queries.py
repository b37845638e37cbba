"""The queries uncached public pages run most, their SQL written once per process (articles/compiled_queries.py
says why and how). Each gives exactly what the queryset in its builder gives: readers' rows only (published(),
public()), the columns the page shows (for_page(), for_listing(), and an article card's CARD_COLUMNS: the
cards are built from the rows' values, articles/cards.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, F, OuterRef, Q, Window
from django.db.models.functions import JSONArray, RowNumber

from articles.cards import CARD_COLUMNS, AreaLink, ArticleCard, Byline, CounterpartLink, ReaderArticle
from articles.compiled_queries import CompiledQuery
from articles.i18n import current_language
from articles.models import Article, Person, PracticeArea


def _related(language: str, now: datetime):
    """The related articles of the row the outer query reads (its practice area, not itself)."""
    return (
        Article.objects.published(now)
        .in_language(language)
        .filter(practice_area=OuterRef("practice_area"))
        .exclude(pk=OuterRef("pk"))
    )


# An article page for readers, in one query, as values: the article's columns (a ReaderArticle) and its
# counterpart's (a CounterpartLink: its address and whether it is public), its practice area (an AreaLink),
# its author and reviewer (Bylines), and up to three more published articles on the same subject, newest
# first, as an array of JSON arrays of CARD_COLUMNS' values (`related_rows`). Each Article, Person or
# PracticeArea instance cost more to build than its values (articles/cards.py), and the related articles' own
# query was a round trip and a result set of its own (measured in-process with scripts/page_timing.py). Staff
# previews read the article with for_page() and the cards with related_cards().
_READER_COLUMNS = (
    *ReaderArticle.COLUMNS,
    *(f"counterpart__{column}" for column in CounterpartLink.COLUMNS),
    *(f"{person}__{column}" for person in ("author", "reviewed_by") for column in Byline.COLUMNS),
    *(f"practice_area__{column}" for column in AreaLink.COLUMNS[1:]),  # its pk: the row's practice_area_id
    "related_rows",
)
READER_ARTICLE = CompiledQuery(
    lambda slug, language, now: Article.objects.in_language(language)
    .published(now)
    .filter(slug=slug)
    .order_by()  # the slug is unique: no sort, which copied the whole row (its body) before sending it
    .annotate(related_rows=ArraySubquery(_related(language, now).values(card=JSONArray(*CARD_COLUMNS))[:3]))
    .values_list(*_READER_COLUMNS),
    slug=str, language=str, now=datetime,
)  # fmt: skip
RELATED_ARTICLES = CompiledQuery(
    lambda language, area, exclude, now: Article.objects.published(now)
    .in_language(language)
    .filter(practice_area=area)
    .exclude(pk=exclude)
    .values_list(*CARD_COLUMNS)[:3],
    language=str, area=int, exclude=int, now=datetime,
)  # fmt: skip


@dataclass(slots=True, frozen=True)
class ArticlePage:
    """An article and what its page shows with it. A reader's page (reader_article) has an AreaLink, Bylines
    and ArticleCards; a staff preview has the article's own PracticeArea and Person instances (a draft may
    change them) and cards from related_cards(). The template reads the same names from both."""

    article: Article | ReaderArticle
    practice_area: PracticeArea | AreaLink
    author: Person | Byline
    reviewer: Person | Byline | None
    related: list[ArticleCard]

    @classmethod
    def of(cls, article: Article, now: datetime) -> "ArticlePage":
        """A page from an Article instance (a preview): its own related objects, its cards in a query."""
        related = related_cards(article.language, article.practice_area_id, article.pk, now)
        return cls(article, article.practice_area, article.author, article.reviewed_by, related)


def reader_article(slug: str, language: str, now: datetime) -> ArticlePage | None:
    """The published article at `slug` in `language` as readers see it, with its page's values (one query);
    None when there is none."""
    rows = READER_ARTICLE.converted_rows(slug=slug, language=language, now=now)
    if not rows:
        return None
    values = iter(rows[0])

    def taken(columns) -> list:
        return [next(values) for _ in columns]

    article = ReaderArticle.from_values(taken(ReaderArticle.COLUMNS), taken(CounterpartLink.COLUMNS))
    author = Byline.from_values(taken(Byline.COLUMNS), language)
    reviewer_values = taken(Byline.COLUMNS)  # NULLs when it has no reviewer (a LEFT JOIN)
    reviewer = Byline.from_values(reviewer_values, language) if article.reviewed_by_id else None
    area = AreaLink.from_row([article.practice_area_id, *taken(AreaLink.COLUMNS[1:])], language)
    related = [ArticleCard.from_json(card, language) for card in next(values)]
    return ArticlePage(article, area, author, reviewer, related)


def related_cards(language: str, area: int, exclude: int, now: datetime) -> list[ArticleCard]:
    """Up to three more articles on the article's subject, newest first, as cards."""
    rows = RELATED_ARTICLES.rows(language=language, area=area, exclude=exclude, now=now)
    return [ArticleCard.from_row(row, language) for row in rows]


# The home page's articles in one query: the newest eight, and the newest two featured ones if older than those
# (each row ends with is_featured and two row numbers, `newest` and `featured_rank`, counting from 1, newest
# first). home_cards() picks up to two featured articles and the newest six of the rest. One query instead of
# two: a round trip and a result set fewer (measured in-process with scripts/page_timing.py).
_NEWEST_FIRST = [F("published_at").desc(), F("pk").desc()]  # the model's ordering
HOME_ARTICLES = CompiledQuery(
    lambda language, now: Article.objects.published(now)
    .in_language(language)
    .annotate(
        newest=Window(RowNumber(), order_by=_NEWEST_FIRST),
        featured_rank=Window(RowNumber(), partition_by=[F("is_featured")], order_by=_NEWEST_FIRST),
    )
    .filter(Q(newest__lte=8) | Q(is_featured=True, featured_rank__lte=2))
    .order_by(*_NEWEST_FIRST)
    .values_list(*CARD_COLUMNS, "is_featured", "newest", "featured_rank"),
    language=str, now=datetime,
)  # fmt: skip


def home_cards(language: str, now: datetime) -> tuple[list[ArticleCard], list[ArticleCard]]:
    """The home page's featured articles (up to two) and the newest six of the others, as cards."""
    featured, latest = [], []
    for row in HOME_ARTICLES.converted_rows(language=language, now=now):
        is_featured, newest, featured_rank = row[len(CARD_COLUMNS) :]
        if is_featured and featured_rank <= 2:
            featured.append(ArticleCard.from_row(row, language))
        elif newest <= 8 and len(latest) < 6:  # the newest eight hold the newest six not featured
            latest.append(ArticleCard.from_row(row, language))
    return featured, latest


# Practice areas readers may see (home page cards, the article list's filter), in the page language's order
# (PracticeArea.Meta.ordering, as modeltranslation writes it: the order, then the name in that language; the
# query is compiled per language): names, addresses and summaries only (the long descriptions, three columns
# each, stay in the database). modeltranslation's rewriting is off: its values_list() reorders the columns in
# the SQL and puts them back in Python, so the driver's rows would not be in AreaLink.COLUMNS' order.
PUBLIC_PRACTICE_AREAS = CompiledQuery(
    lambda: (
        PracticeArea.objects.public()
        .rewrite(False)
        .order_by("order", f"name_{current_language()}")
        .values_list(*AreaLink.COLUMNS)
    )
)


def public_areas(language: str) -> list[AreaLink]:
    return [AreaLink.from_row(row, language) for row in PUBLIC_PRACTICE_AREAS.rows()]


# A page of the article list (all, or one practice area's), with the total number of articles counted in the
# same query (a window count), for the pagination. `offset` is part of the SQL, so each page number is a shape
# of its own: the view compiles the first LIST_PAGES_COMPILED pages and leaves deeper ones to the plain ORM.
LIST_PAGES_COMPILED = 10


def _listing(language: str, now: datetime):
    return (
        Article.objects.published(now)
        .in_language(language)
        .annotate(listed_total=Window(Count("*")))
        .values_list(*CARD_COLUMNS, "listed_total")
    )


LISTING_PAGE = CompiledQuery(
    lambda offset, size, language, now: _listing(language, now)[offset : offset + size],
    language=str, now=datetime,
)  # fmt: skip
AREA_LISTING_PAGE = CompiledQuery(
    lambda offset, size, language, area, now: _listing(language, now).filter(practice_area=area)[offset : offset + size],
    language=str, area=int, now=datetime,
)  # fmt: skip


def listing_cards(offset: int, size: int, language: str, now: datetime, area: int | None = None):
    """One page of the article list (all, or one practice area's) as cards, and how many articles it has."""
    if area is None:
        rows = LISTING_PAGE.converted_rows((offset, size), language=language, now=now)
    else:
        rows = AREA_LISTING_PAGE.converted_rows((offset, size), language=language, area=area, now=now)
    return [ArticleCard.from_row(row, language) for row in rows], (rows[0][-1] if rows else 0)


class CountedPage(Sequence):
    """One page of rows and the total they came from, as Django's Paginator asks of an object list: len() is
    the total, and the page's own slice gives the rows."""

    def __init__(self, rows: list, total: int, offset: int):
        self.rows, self.total, self.offset = rows, total, offset

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not (isinstance(index, slice) and index.start == self.offset):
            raise IndexError("CountedPage holds only its own page")
        return self.rows

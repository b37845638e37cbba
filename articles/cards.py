"""An article card (templates/jinja2/includes/article_card.html) and a practice area's link as plain values,
not Article and PracticeArea instances.

The home page, the article list and an article's "more about" cards read their articles through compiled
`values_list()` queries (articles/page_queries.py) and build an `ArticleCard` from each row. Turning a page of
the list's rows into Article and PracticeArea instances (Django's model iterable, select_related, deferred
fields, modeltranslation's descriptor on the area's name) cost about 0.5 ms of a 3.6 ms uncached page against
0.1 ms for the tuples (measured in-process, December 2026). A card has what the card shows and nothing else;
a page that goes through the plain ORM (the list's deeper pages, a person's or practice area's page) shows
Article instances with the same macro, which reads the same names from both. The practice areas the home
page, the list's filter and a search with no results show are `AreaLink`s, for the same reason (their three
instances cost about 0.1 ms a page more than their values).
"""

from dataclasses import dataclass
from datetime import date, datetime

from articles.addresses import address
from articles.i18n import translated
from articles.models.article_queries import ARTICLE_PAGE_FIELDS, BYLINE_FIELDS, COUNTERPART_FIELDS
from articles.models.articles import Article, public_date
from articles.models.people import Person

# The columns a card's row carries, in from_row's order (the page language's area name is picked in Python).
CARD_COLUMNS = (
    "pk", "title", "slug", "summary", "language", "reading_minutes", "published_at", "last_reviewed_on",
    "practice_area__name_en", "practice_area__name_es",
)  # fmt: skip
_PUBLISHED_AT, _REVIEWED_ON = CARD_COLUMNS.index("published_at"), CARD_COLUMNS.index("last_reviewed_on")


@dataclass(slots=True, frozen=True)
class AreaName:
    """An article's practice area as a card or a search result shows it: its name in the page's language."""

    name: str


@dataclass(slots=True, frozen=True)
class ArticleCard:
    pk: int
    title: str
    slug: str
    summary: str
    language: str
    reading_minutes: int
    published_at: datetime
    last_reviewed_on: date | None
    practice_area: AreaName

    @classmethod
    def from_row(cls, row: tuple, language: str) -> "ArticleCard":
        """A card from CARD_COLUMNS' values (a row may carry more after them); `language` is the page's."""
        pk, title, slug, summary, article_language, minutes, published_at, reviewed_on, name_en, name_es = (
            row[: len(CARD_COLUMNS)]
        )
        area = AreaName(translated(name_en, name_es, language))
        return cls(pk, title, slug, summary, article_language, minutes, published_at, reviewed_on, area)

    @classmethod
    def from_json(cls, values: list, language: str) -> "ArticleCard":
        """A card from CARD_COLUMNS' values as a JSON array (an article page's related articles,
        articles/page_queries.py): the same card as from_row, its dates read back from their ISO text."""
        values = list(values)
        values[_PUBLISHED_AT] = datetime.fromisoformat(values[_PUBLISHED_AT])
        if values[_REVIEWED_ON] is not None:
            values[_REVIEWED_ON] = date.fromisoformat(values[_REVIEWED_ON])
        return cls.from_row(values, language)

    def get_absolute_url(self) -> str:
        return address("articles:detail", self.language, self.slug)  # as Article.get_absolute_url

    @property
    def public_at(self) -> datetime | None:
        return public_date(self.published_at, self.last_reviewed_on)  # as Article.public_at


@dataclass(slots=True, frozen=True)
class AreaLink:
    """A practice area as the public lists show it: its name, address and summary in the page's language (the
    English ones where the Spanish are empty, as modeltranslation reads them), and both slugs (the article
    list's ?area= takes either)."""

    pk: int
    name: str
    summary: str
    slug_en: str
    slug_es: str | None
    language: str

    # The columns an AreaLink's row carries, in from_row's order.
    COLUMNS = ("pk", "name_en", "name_es", "summary_en", "summary_es", "slug_en", "slug_es")

    @classmethod
    def from_row(cls, row: tuple, language: str) -> "AreaLink":
        pk, name_en, name_es, summary_en, summary_es, slug_en, slug_es = row
        name, summary = translated(name_en, name_es, language), translated(summary_en, summary_es, language)
        return cls(pk, name, summary, slug_en, slug_es, language)

    @property
    def slug(self) -> str:
        """The slug in the page's language (PracticeArea.slug as modeltranslation reads it)."""
        return translated(self.slug_en, self.slug_es, self.language)

    def get_absolute_url(self) -> str:
        return address("articles:practice_area", self.language, self.slug)  # as PracticeArea.url_in


@dataclass(slots=True, frozen=True)
class Byline:
    """A person as a reader's article page shows them (its author and reviewer, in the byline and its
    JSON-LD), from the article query's values: BYLINE_FIELDS, and the page's language for the job title. The
    portrait, its description, the initials and the address are Person's own properties, read from these
    attributes, so the page shows what a Person instance shows (a part of a person the page starts to show
    goes into BYLINE_FIELDS, which a staff preview's query reads too). With the practice area, the three
    instances these replace cost a reader's article query about 0.04 ms more in-process (446 against 486 us,
    December 2026), and a larger share under gunicorn."""

    name: str
    slug: str
    job_title_en: str
    job_title_es: str | None
    photo: str
    photo_alt_en: str
    photo_alt_es: str | None
    photo_renditions: dict | None
    language: str

    COLUMNS = BYLINE_FIELDS  # a row's values, in the order of the fields above

    @classmethod
    def from_values(cls, values, language: str) -> "Byline":
        return cls(*values, language)

    @property
    def job_title(self) -> str:
        return translated(self.job_title_en, self.job_title_es, self.language)  # as modeltranslation reads it

    get_absolute_url = Person.get_absolute_url
    initials = Person.initials
    photo_description = Person.photo_description
    portrait = Person.portrait


@dataclass(slots=True, frozen=True)
class CounterpartLink:
    """An article's counterpart in the other language, as a reader's page needs it: its address, and whether
    it is public (readers are never sent to a draft). Article's own properties, read from these values."""

    pk: int
    slug: str
    language: str
    status: str
    published_at: datetime | None
    approved_version_id: int | None

    COLUMNS = ("pk", *(Article._meta.get_field(name).attname for name in COUNTERPART_FIELDS))
    Status = Article.Status

    get_absolute_url = Article.get_absolute_url
    is_public = Article.is_public


def _social_image(name: str):
    """The article's social image as its FileField gives it (a FieldFile: .url from the storage), or None."""
    field = Article._meta.get_field("social_image")
    return field.attr_class(None, field, name) if name else None


@dataclass(slots=True, frozen=True)
class ReaderArticle:
    """A published article as its reader's page shows it, from the page query's values (articles/page_queries.py
    reader_article) instead of an Article instance: the columns ARTICLE_PAGE_FIELDS names, the counterpart as
    a CounterpartLink, and what is worked out from them (its public date, whether it was updated or its review
    is old, its address) by Article's own properties, so the page says what an Article would. Building the
    Article instance (Django's model iterable, from_db, the counterpart's instance, deferred fields) cost
    about 0.09 ms of a reader's page query, in-process (400 against 309 us for the values, interleaved,
    December 2026). Staff previews keep the Article instance: a draft's page shows more (its state, the
    approval that waits)."""

    pk: int
    approved_version_id: int | None
    title: str
    slug: str
    summary: str
    seo_title: str
    social_image: object  # a FieldFile, or None
    body_html: str
    toc: list
    reading_minutes: int
    practice_area_id: int
    author_id: int
    reviewed_by_id: int | None
    last_reviewed_on: date | None
    status: str
    published_at: datetime | None
    language: str
    counterpart_id: int | None
    updated_at: datetime
    content_hash: str
    counterpart: CounterpartLink | None

    # The row's own columns, in the order of the fields above (the counterpart's follow them).
    COLUMNS = ("pk", *(Article._meta.get_field(name).attname for name in ARTICLE_PAGE_FIELDS))
    Status = Article.Status
    REVIEW_DUE_AFTER = Article.REVIEW_DUE_AFTER

    @classmethod
    def from_values(cls, values: list, counterpart: list) -> "ReaderArticle":
        values[_SOCIAL_IMAGE] = _social_image(values[_SOCIAL_IMAGE])
        link = CounterpartLink(*counterpart) if counterpart[0] is not None else None  # no counterpart: NULLs
        return cls(*values, link)

    get_absolute_url = Article.get_absolute_url
    is_public = Article.is_public
    is_scheduled = Article.is_scheduled
    public_at = Article.public_at
    public_counterpart = Article.public_counterpart
    quotes_time_limits = Article.quotes_time_limits
    review_is_old = Article.review_is_old
    was_updated = Article.was_updated


_SOCIAL_IMAGE = ReaderArticle.COLUMNS.index("social_image")

"""articles/compiled_queries.py: SQL written once per process gives exactly what the queryset gives, for every
value, and refuses a query whose SQL would not follow its values."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from articles.compiled_queries import CompiledQuery
from articles.models import Article, PracticeArea
from articles.page_queries import listing_cards, public_areas, reader_article, related_cards
from tests.factories import ArticleFactory, PersonFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db


# What a reader's article page reads off its article (the template, the view, its JSON-LD and alternates).
READ_BY_THE_PAGE = (
    "pk", "approved_version_id", "title", "slug", "summary", "seo_title", "body_html", "toc", "reading_minutes",
    "practice_area_id", "author_id", "reviewed_by_id", "last_reviewed_on", "status", "published_at", "language",
    "counterpart_id", "updated_at", "content_hash", "public_at", "was_updated", "review_is_old", "is_public",
    "is_scheduled", "quotes_time_limits", "get_absolute_url",
)  # fmt: skip


def shown_article(article) -> dict:
    values = {}
    for name in READ_BY_THE_PAGE:
        value = getattr(article, name)
        values[name] = value() if callable(value) else value
    image = article.social_image
    values["social_image"] = (bool(image), image.url if image else None)
    counterpart = article.public_counterpart
    values["public_counterpart"] = counterpart and (counterpart.language, counterpart.get_absolute_url())
    return values


def test_the_readers_article_reads_as_the_article_instance(django_assert_num_queries):
    """reader_article() builds a ReaderArticle from the page query's values (articles/cards.py); every value
    and property the page reads is what the Article instance gives: a social image's address, a counterpart
    that is public (its address) or not (none), dates that move the public date and the review's age."""
    from datetime import date

    reviewed_late = ArticleFactory(
        last_reviewed_on=timezone.localdate(), social_image="articles/social/share.png"
    )  # reviewed after it went live: the public date is the review's day
    old_review = ArticleFactory(
        last_reviewed_on=date(2020, 1, 6), published_at=timezone.now() - timedelta(days=9)
    )
    public_pair = ArticleFactory(counterpart=ArticleFactory(language="es"))
    draft_pair = ArticleFactory(counterpart=ArticleFactory.draft(language="es"))
    draft = ArticleFactory.draft()
    now = timezone.now()
    for article in (reviewed_late, old_review, public_pair, draft_pair, draft):
        expected = (
            Article.objects.for_page().in_language("en").published(now).filter(slug=article.slug).first()
        )
        with django_assert_num_queries(1):  # counterpart, area, byline and related cards in the same query
            page = reader_article(article.slug, "en", now)
        if expected is None:
            assert page is None  # the draft
        else:
            assert shown_article(page.article) == shown_article(expected)
    shown = shown_article(reader_article(reviewed_late.slug, "en", now).article)
    assert shown["social_image"] == (True, "/media/articles/social/share.png")
    assert shown["public_at"].date() == timezone.localdate()
    assert shown_article(reader_article(old_review.slug, "en", now).article)["review_is_old"] is True
    assert shown_article(reader_article(public_pair.slug, "en", now).article)["public_counterpart"][0] == "es"
    assert shown_article(reader_article(draft_pair.slug, "en", now).article)["public_counterpart"] is None


def test_a_readers_article_has_a_value_for_each_column_the_query_reads():
    """ReaderArticle's fields are its COLUMNS (the page query's columns, in order) and the counterpart."""
    from dataclasses import fields

    from articles.cards import CounterpartLink, ReaderArticle

    assert [f.name for f in fields(ReaderArticle)] == [*ReaderArticle.COLUMNS, "counterpart"]
    assert [f.name for f in fields(CounterpartLink)] == list(CounterpartLink.COLUMNS)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_readers_article_page_shows_what_the_instances_show(language, django_assert_num_queries):
    """A reader's ArticlePage (values: an AreaLink and Bylines) reads as the preview's (the article's own
    PracticeArea and Person instances) in both languages: the Spanish job title, photo description and area
    name, and the English ones where the Spanish are empty."""
    from articles.page_queries import ArticlePage

    author = PersonFactory(name="Ana María de la Cruz-Soto", job_title_en="Partner", job_title_es="Socia")
    author.photo_alt_en, author.photo_alt_es = "Ana at her desk", "Ana en su despacho"
    author.photo, author.photo_renditions = (
        "people/ana.jpg",
        {
            "webp": {"96": "people/ana-96.webp", "192": "people/ana-192.webp"},
            "jpeg": {"96": "people/ana-96.jpg", "192": "people/ana-192.jpg"},
            "width": 192,
            "height": 240,
        },
    )
    author.save_live()
    reviewer = PersonFactory(
        name="Sam Lee", job_title_en="Of counsel", job_title_es=""
    )  # no photo, no Spanish
    area = PracticeAreaFactory(
        name_en="Medical malpractice", name_es="Negligencia médica", slug_es="negligencia"
    )
    article = ArticleFactory(language=language, author=author, reviewed_by=reviewer, practice_area=area)
    ArticleFactory(language=language, practice_area=area)
    now = timezone.now()
    with translation.override(language):
        with django_assert_num_queries(1):
            page = reader_article(article.slug, language, now)
        instances = ArticlePage.of(Article.objects.for_page().get(pk=article.pk), now)
        for shown, expected in ((page.author, instances.author), (page.reviewer, instances.reviewer)):
            for name in (
                "name",
                "job_title",
                "photo_description",
                "initials",
                "portrait",
                "get_absolute_url",
            ):
                value, other = getattr(shown, name), getattr(expected, name)
                assert (value() if callable(value) else value) == (other() if callable(other) else other), (
                    name
                )
        assert page.practice_area.name == instances.practice_area.name
        assert page.practice_area.get_absolute_url() == instances.practice_area.get_absolute_url()
        assert page.related == instances.related and len(page.related) == 1
    assert page.author.portrait and page.reviewer.portrait is None
    assert page.reviewer.job_title == "Of counsel"  # the English where the Spanish is empty


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_readers_article_brings_the_same_related_cards_as_their_own_query(
    language, django_assert_num_queries
):
    """reader_article() reads the related articles in the article's own query, as JSON; its cards are the ones
    related_cards() builds from its rows: dates (with their microseconds) back as dates, the area's name in the
    page's language (English where the Spanish is empty), newest first, at most three, never the article."""
    area = PracticeAreaFactory(name_en="Car accidents", name_es="")
    start = timezone.now() - timedelta(days=40)
    articles = [
        ArticleFactory(
            language=language,
            practice_area=area,
            published_at=start + timedelta(days=n, microseconds=123457 * n),
            last_reviewed_on=(start + timedelta(days=n)).date(),
        )
        for n in range(5)
    ]
    ArticleFactory(language=language)  # another subject
    ArticleFactory(language="es" if language == "en" else "en", practice_area=area)  # the other language
    ArticleFactory.scheduled(language=language, practice_area=area)  # not public yet
    now = timezone.now()
    with translation.override(language):
        for article in (articles[0], articles[4]):
            with django_assert_num_queries(1):
                page = reader_article(article.slug, language, now)
            assert page.article.pk == article.pk
            cards = page.related
            expected = related_cards(language, area.pk, article.pk, now)
            assert cards == expected
            assert [card.pk for card in cards] == [a.pk for a in reversed(articles) if a != article][:3]
            assert {card.practice_area.name for card in cards} == {"Car accidents"}
            assert all(card.published_at.microsecond for card in cards)
        assert reader_article("no-such-article", language, now) is None


def test_each_run_uses_its_own_values():
    first_area, second_area = PracticeAreaFactory(), PracticeAreaFactory()
    in_first = [ArticleFactory(practice_area=first_area) for _ in range(3)]
    in_second = ArticleFactory(practice_area=second_area)
    now = timezone.now()

    def related(area, exclude, when=now):
        return [card.pk for card in related_cards("en", area.pk, exclude.pk, when)]

    assert sorted(related(first_area, in_first[0])) == sorted(a.pk for a in in_first[1:])
    assert related(second_area, in_first[0]) == [in_second.pk]
    assert related(second_area, in_second) == []
    assert related(first_area, in_first[0], when=now - timedelta(days=3650)) == []  # not yet published then


def test_each_language_gets_its_own_sql():
    """modeltranslation orders practice areas by the active language's name column."""
    PracticeAreaFactory(name_en="Alpha", name_es="Zeta")
    PracticeAreaFactory(name_en="Zulu", name_es="Alfa")
    areas = CompiledQuery(lambda: PracticeArea.objects.order_by("name"))
    with translation.override("en"):
        english = [area.name for area in areas.all()]
    with translation.override("es"):
        spanish = [area.name for area in areas.all()]
    assert english == sorted(english) and spanish == sorted(spanish)
    assert english[0] == "Alpha" and spanish[0] == "Alfa"


@pytest.mark.parametrize(
    ("build", "kinds", "complaint"),
    [
        (lambda title: Article.objects.filter(title__icontains=title), {"title": str}, "rewritten"),
        (lambda slug: Article.objects.filter(slug="fixed"), {"slug": str}, "never uses"),
        (lambda n: Article.objects.all()[: abs(n) % 7 + 1], {"n": int}, "changes with the values"),
    ],
)
def test_a_query_whose_sql_would_not_follow_its_values_is_refused(build, kinds, complaint):
    with pytest.raises(ValueError, match=complaint):
        CompiledQuery(build, **kinds).all(**{name: kind() for name, kind in kinds.items()})


def test_the_values_must_be_named_exactly():
    query = CompiledQuery(lambda slug: Article.objects.filter(slug=slug), slug=str)
    with pytest.raises(TypeError):
        query.all(slug="a", extra=1)
    assert query.all(slug="no-such-article") == []


def test_datetimes_pass_through_unchanged():
    article = ArticleFactory()
    query = CompiledQuery(
        lambda since: Article.objects.filter(published_at__gte=since).only("slug"), since=datetime
    )
    assert [a.slug for a in query.all(since=article.published_at)] == [article.slug]
    assert query.all(since=article.published_at + timedelta(seconds=1)) == []


def test_the_article_list_pages_the_same_whether_compiled_or_not(client, monkeypatch):
    area, other = PracticeAreaFactory(), PracticeAreaFactory()
    for i in range(23):
        ArticleFactory(practice_area=area if i % 2 else other)

    def listing(query: str):
        response = client.get("/articles/" + query)
        if response.status_code != 200:
            return response.status_code
        page = response.context["page_obj"]
        return [a.pk for a in page.object_list], page.number, page.paginator.count, response.content

    compiled = {
        q: listing(q) for q in ("", "?page=2", "?page=3", "?page=last", "?page=x", f"?area={area.slug}")
    }
    assert len(compiled[""][0]) == 20 and compiled[""][2] == 23
    assert compiled["?page=2"][1:3] == (2, 23) and len(compiled["?page=2"][0]) == 3
    assert compiled["?page=3"] == 404 and compiled["?page=x"] == 404
    assert compiled["?page=last"][:3] == compiled["?page=2"][:3]
    assert compiled[f"?area={area.slug}"][2] == 11
    monkeypatch.setattr("articles.views.LIST_PAGES_COMPILED", 0)  # every page through the plain ORM
    assert {q: listing(q) for q in compiled} == compiled


def test_the_compiled_list_pages_never_build_the_orm_queryset(client, monkeypatch):
    """Building it (filters, a clone per call) cost 7% of an uncached list page; only deeper pages need it."""
    ArticleFactory()

    def refuse(view):
        raise AssertionError("the ORM queryset was built for a compiled page")

    monkeypatch.setattr("articles.views.ArticleListView.readers_articles", refuse)
    assert client.get("/articles/").status_code == 200
    with pytest.raises(AssertionError, match="ORM queryset"):
        client.get("/articles/?page=last")


def test_rows_are_the_values_list_rows_and_columns_that_need_converting_are_refused():
    articles = [ArticleFactory(), ArticleFactory()]
    columns = ("slug", "title", "language")
    titles = CompiledQuery(lambda slug: Article.objects.filter(slug=slug).values_list(*columns), slug=str)
    for article in articles:
        expected = list(Article.objects.filter(slug=article.slug).values_list(*columns))
        assert titles.rows(slug=article.slug) == expected == [(article.slug, article.title, article.language)]
    with pytest.raises(TypeError):
        titles.rows()
    toc = CompiledQuery(lambda slug: Article.objects.filter(slug=slug).values_list("toc"), slug=str)
    with pytest.raises(TypeError, match="converting"):
        toc.rows(slug=articles[0].slug)


def test_converted_rows_are_the_values_list_rows_with_djangos_conversions():
    """converted_rows(): JSON, an array of JSON and plain columns come out as the queryset gives them; a
    builder that is not a values_list() is refused."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONArray

    articles = [ArticleFactory(), ArticleFactory(), ArticleFactory()]

    def build(slug):
        others = Article.objects.exclude(pk=OuterRef("pk")).order_by("pk").values(row=JSONArray("pk", "slug"))
        return (
            Article.objects.filter(slug=slug)
            .annotate(others=ArraySubquery(others))
            .values_list("slug", "toc", "others", "published_at")
        )

    query = CompiledQuery(build, slug=str)
    for article in articles:
        expected = list(build(article.slug))
        assert query.converted_rows(slug=article.slug) == expected
        slug, toc, others, published_at = expected[0]
        assert isinstance(toc, list) and [row[1] for row in others] == [
            a.slug for a in articles if a.pk != article.pk
        ]
    assert query.converted_rows(slug="no-such-article") == []
    instances = CompiledQuery(lambda slug: Article.objects.filter(slug=slug), slug=str)
    with pytest.raises(TypeError, match="values_list"):
        instances.converted_rows(slug=articles[0].slug)


@pytest.mark.parametrize(
    "featured_ages", [(), (0,), (1, 3), (2, 5, 9), (10, 11), (0, 1, 2, 3), (4, 10, 12, 13)]
)
def test_the_home_page_picks_what_two_plain_queries_would(client, featured_ages, django_assert_num_queries):
    """One query (HOME_ARTICLES) for the home page's two lists: the newest two featured articles, however old,
    then the newest six of the newest eight that are not among them; drafts and Spanish articles never."""
    now = timezone.now()
    area = PracticeAreaFactory()
    for age in range(14):  # age 0 is the newest
        ArticleFactory(
            practice_area=area, is_featured=age in featured_ages, published_at=now - timedelta(days=age + 1)
        )
    ArticleFactory.draft(practice_area=area, is_featured=True)
    ArticleFactory(practice_area=area, is_featured=True, language="es", published_at=now)
    public = Article.objects.published(now).in_language("en")
    featured = list(public.filter(is_featured=True)[:2])
    latest = [article for article in public[:8] if article not in featured][:6]

    with django_assert_num_queries(2):  # the articles, and the practice areas
        context = client.get("/").context
    assert [a.pk for a in context["featured_articles"]] == [a.pk for a in featured]
    assert [a.pk for a in context["latest_articles"]] == [a.pk for a in latest]
    assert len(featured) == min(2, len(featured_ages)) and len(latest) == 6


CARD_SHOWS = (
    "pk",
    "title",
    "summary",
    "reading_minutes",
    "public_at",
    "get_absolute_url",
    "practice_area.name",
)


def shown(article) -> dict:
    """What the article card macro reads of an article (an Article or an ArticleCard)."""
    values = {}
    for name in CARD_SHOWS:
        value = article
        for part in name.split("."):
            value = getattr(value, part)
        values[name] = value() if callable(value) else value
    return values


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_card_shows_what_the_article_instance_shows(language):
    """Cards are built from values_list rows (articles/cards.py): the same title, address, dates, reading time
    and practice area name as the Article, in either language (an area with no Spanish name shows the English
    one, as modeltranslation does)."""
    named = PracticeAreaFactory(name_en="Car accidents", name_es="Accidentes de auto")
    unnamed = PracticeAreaFactory(name_en="Dog bites", name_es="")
    now = timezone.now()
    for area in (named, unnamed):
        ArticleFactory(practice_area=area, language=language, last_reviewed_on=now.date())  # reviewed later
        ArticleFactory(practice_area=area, language=language, published_at=now - timedelta(days=400))
    with translation.override(language):
        cards, total = listing_cards(0, 10, language, now)
        articles = {a.pk: a for a in Article.objects.published(now).in_language(language).for_listing()}
        assert total == 4 and {card.pk for card in cards} == set(articles)
        for card in cards:
            assert shown(card) == shown(articles[card.pk])
    assert {card.practice_area.name for card in cards} == (
        {"Car accidents", "Dog bites"} if language == "en" else {"Accidentes de auto", "Dog bites"}
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_practice_areas_show_what_the_instances_show_in_the_languages_order(language):
    """AreaLink (articles/cards.py) against PracticeArea read through modeltranslation: the same order (by the
    page language's name), names, summaries, slugs and addresses, the English ones where Spanish is empty;
    areas no attorney approved are left out."""
    PracticeAreaFactory(
        name_en="Alpha", name_es="Zeta", slug_en="alpha", slug_es="zeta", summary_es="Resumen."
    )
    PracticeAreaFactory(name_en="Zulu", name_es="Alfa", slug_en="zulu", slug_es="alfa")
    PracticeAreaFactory(name_en="Middle", name_es="", slug_en="middle", slug_es=None, summary_es="")
    PracticeAreaFactory(name_en="Hidden", slug_en="hidden", approved=False)
    with translation.override(language):
        links = public_areas(language)
        areas = list(PracticeArea.objects.public())
        assert [link.pk for link in links] == [area.pk for area in areas]
        for link, area in zip(links, areas, strict=True):
            assert (link.name, link.summary, link.slug, link.get_absolute_url()) == (
                area.name,
                area.summary,
                area.slug,
                area.get_absolute_url(),
            )
    if language == "en":
        assert [link.name for link in links] == ["Alpha", "Middle", "Zulu"]
    else:  # ordered by the Spanish name as modeltranslation orders them (an empty one first)
        assert [link.name for link in links] == ["Middle", "Alfa", "Zeta"]

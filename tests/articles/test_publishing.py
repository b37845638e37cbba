import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, PracticeAreaFactory, approve_change

pytestmark = pytest.mark.django_db

PUBLIC_LISTINGS = ["home", "articles:list", "sitemap", "feed"]


def test_drafts_and_scheduled_articles_are_not_public_anywhere(client):
    live = ArticleFactory(title="Live article")
    draft = ArticleFactory.draft(title="Draft article")
    scheduled = ArticleFactory.scheduled(title="Scheduled article")
    for name in PUBLIC_LISTINGS:
        body = client.get(reverse(name)).content.decode()
        assert live.get_absolute_url() in body, name
        assert draft.get_absolute_url() not in body, name
        assert scheduled.get_absolute_url() not in body, name
    area_page = client.get(live.practice_area.get_absolute_url()).content.decode()
    assert "Live article" in area_page
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_a_scheduled_article_goes_public_when_its_time_comes(client):
    when = timezone.now() + timedelta(hours=2)
    article = ArticleFactory.scheduled(when=when)
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(when + timedelta(seconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.get_absolute_url() in client.get(reverse("articles:list")).content.decode()


def test_published_is_the_only_definition_of_public():
    live = ArticleFactory()
    ArticleFactory.draft()
    ArticleFactory.scheduled()
    assert list(Article.objects.published()) == [live]


def test_staff_preview_a_draft_at_its_public_address_marked_and_never_cached(client, editor):
    draft = ArticleFactory.draft(title="Work in progress")
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft — not public" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    # Not yet published: the byline starts with the reading time, not with a separator.
    assert re.search(r'<p class="article__dates">\s*\d+ min read\s*</p>', html), html


def test_staff_without_article_permission_do_not_see_drafts(client, django_user_model):
    draft = ArticleFactory.draft()
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_changed_slug_answers_301_even_after_two_changes(client):
    article = ArticleFactory(slug="first-slug")
    article.slug = "second-slug"
    article.save()
    approve_change(article)  # the address is public text: it changes once approved
    article.slug = "third-slug"
    article.save()
    assert client.get("/articles/second-slug/").status_code == 200  # the new slug waits for approval
    approve_change(article)
    for old in ("first-slug", "second-slug"):
        response = client.get(reverse("articles:detail", kwargs={"slug": old}))
        assert response.status_code == 301
        assert response["Location"] == "/articles/third-slug/"
    assert client.get("/articles/third-slug/").status_code == 200


def test_an_old_slug_taken_by_a_new_article_serves_the_new_article(client):
    first = ArticleFactory(slug="shared-name")
    first.slug = "renamed"
    first.save()
    approve_change(first)
    ArticleFactory(slug="shared-name", title="The newcomer")
    response = client.get("/articles/shared-name/")
    assert response.status_code == 200
    assert "The newcomer" in response.content.decode()


def test_an_old_slug_of_a_draft_does_not_reveal_it(client):
    article = ArticleFactory.draft(slug="secret-old")
    article.slug = "secret-new"
    article.save()
    assert client.get("/articles/secret-old/").status_code == 404


def test_constraints_live_in_the_database():
    area, person = PracticeAreaFactory(), PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="t", slug="no-date", summary="s", body="b", practice_area=area, author=person,
            status=Article.Status.PUBLISHED, published_at=None,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="t", slug="half-review", summary="s", body="b", practice_area=area, author=person,
            reviewed_by=person, last_reviewed_on=None,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="unreviewed", reviewed_by=None, last_reviewed_on=None)  # published, unreviewed
    ArticleFactory(slug="taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="taken")


def test_markdown_is_rendered_when_saved_not_per_request(client):
    article = ArticleFactory(body="## Heading\n\n<script>x</script> **bold**")
    assert '<h2 id="section-heading">Heading</h2>' in article.body_html
    Article.objects.filter(pk=article.pk).update(body="## Changed without saving")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html  # served from body_html, not re-rendered


def test_article_page_shows_who_wrote_and_reviewed_it_and_links_the_consultation(client):
    reviewer = PersonFactory(name="Elena Marsh", slug="elena-marsh")
    article = ArticleFactory(reviewed_by=reviewer, body="Intro\n\n## One\n\n## Two\n\n## Three\n")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/people/{article.author.slug}/"' in html  # the byline links to the profile page
    assert re.search(r"Legally reviewed by <a [^>]*>Elena Marsh</a></strong> on <time datetime=", html)
    assert f'href="/consultation/?article={article.slug}"' in html
    assert "General information, not legal advice." in html
    assert 'class="toc"' in html
    assert 'aria-label="Breadcrumb"' in html


def test_related_articles_are_from_the_same_practice_area(client):
    article = ArticleFactory()
    same = ArticleFactory.create_batch(4, practice_area=article.practice_area)
    other = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    related = re.findall(r'<h3 class="article-card__title"><a href="([^"]+)"', html)
    assert len(related) == 3
    assert set(related) <= {a.get_absolute_url() for a in same}
    assert other.get_absolute_url() not in related


def test_json_ld_is_valid_and_names_author_and_reviewer(client):
    reviewer = PersonFactory(name="Elena Marsh")
    article = ArticleFactory(reviewed_by=reviewer, title='Quotes "and" <tags> & more')
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = [
        json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    by_type = {block["@type"]: block for block in blocks}
    assert set(by_type) == {"LegalService", "Article", "BreadcrumbList"}
    data = by_type["Article"]
    assert data["headline"] == 'Quotes "and" <tags> & more'
    assert data["author"]["@type"] == "Person"
    assert data["reviewedBy"]["name"] == "Elena Marsh"
    assert data["datePublished"] and data["dateModified"]
    assert [item["position"] for item in by_type["BreadcrumbList"]["itemListElement"]] == [1, 2, 3, 4]


def test_list_is_paginated_and_filtered_by_practice_area(client):
    area = PracticeAreaFactory(slug="pi", name="Personal injury")
    ArticleFactory.create_batch(21, practice_area=area)
    ArticleFactory.create_batch(2)
    first = client.get(reverse("articles:list"))
    assert len(first.context["articles"]) == 20
    assert client.get(reverse("articles:list") + "?page=2").context["page_obj"].number == 2
    filtered = client.get(reverse("articles:list") + "?area=pi")
    assert filtered.context["paginator"].count == 21
    assert client.get(reverse("articles:list") + "?area=unknown").context["paginator"].count == 23


def test_sitemap_lists_articles_and_practice_areas_with_lastmod(client):
    article = ArticleFactory()
    xml = client.get(reverse("sitemap")).content.decode()
    assert f"<loc>http://127.0.0.1:8000{article.get_absolute_url()}</loc><lastmod>" in xml
    assert f"{article.practice_area.get_absolute_url()}</loc><lastmod>" in xml


def test_feed_is_atom(client):
    ArticleFactory(title="Feed me")
    response = client.get(reverse("feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Feed me</title>" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "budget"),
    [("detail", 3), ("articles:list", 5), ("home", 5), ("practice_area", 5)],
)
def test_query_budgets_hold_however_many_articles_there_are(
    client, django_assert_max_num_queries, name, budget
):
    article = ArticleFactory()
    for _ in range(12):
        ArticleFactory(practice_area=article.practice_area, author=PersonFactory(), is_featured=True)
    url = {
        "detail": article.get_absolute_url(),
        "practice_area": article.practice_area.get_absolute_url(),
    }.get(name) or reverse(name)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


def test_get_requests_never_write(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory()
    with CaptureQueriesContext(connection) as queries:
        for url in ("/", "/articles/", article.get_absolute_url(), "/sitemap.xml", "/feed/", "/about/"):
            client.get(url)
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []


def test_updated_moves_only_when_what_readers_read_changes(time_machine):
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    time_machine.move_to(start)
    article = ArticleFactory(published_at=start)
    created = article.updated_at
    time_machine.move_to(start + timedelta(days=3))
    article.is_featured = True
    article.slug = "a-new-address"
    article.save()
    approve_change(article)
    assert article.updated_at == created and not article.was_updated
    time_machine.move_to(start + timedelta(days=5))
    article.body += "\n\nA new paragraph about deadlines."
    article.save()
    approve_change(article)
    assert article.updated_at - (start + timedelta(days=5)) < timedelta(seconds=1)
    assert article.was_updated


def test_readers_are_told_when_an_articles_review_is_over_a_year_old(client):
    from datetime import date, timedelta

    old = ArticleFactory(last_reviewed_on=date.today() - timedelta(days=400))
    fresh = ArticleFactory(last_reviewed_on=date.today() - timedelta(days=40))
    assert "This review is more than a year old" in client.get(old.get_absolute_url()).content.decode()
    assert "This review is more than a year old" not in client.get(fresh.get_absolute_url()).content.decode()

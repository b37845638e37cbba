import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from lawsite.page_cache import bump_content_version

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SCHEDULED = NOON + timedelta(minutes=2)  # well inside PAGE_CACHE_SECONDS, so expiry alone would not do


def scheduled_times():
    return [SCHEDULED]


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_second_anonymous_request_is_a_hit_with_one_query_and_a_fresh_nonce(
    client, page_cache, django_assert_max_num_queries
):
    first = client.get(reverse("about"))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):
        second = client.get(reverse("about"))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert nonce_of(second) != nonce_of(first)
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_content_change_is_visible_on_the_very_next_request(client, page_cache):
    client.get(reverse("about"))
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"
    bump_content_version()
    assert client.get(reverse("about"))["X-Page-Cache"] == "miss"


def test_visitors_with_a_session_are_never_served_from_the_cache(client, page_cache, admin_user):
    client.get(reverse("about"))
    client.force_login(admin_user)
    response = client.get(reverse("about"))
    assert "X-Page-Cache" not in response


def test_a_csrf_cookie_alone_does_not_bypass_the_cache(client, page_cache, settings):
    client.cookies.load({settings.CSRF_COOKIE_NAME: "x" * 32})  # a CSRF cookie alone is not a session
    client.get(reverse("about"))
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


def test_cached_entries_expire_when_scheduled_content_goes_live(client, page_cache, settings):
    settings.PAGE_CACHE_UPCOMING = "tests.test_page_cache.scheduled_times"
    with time_machine.travel(NOON, tick=False) as traveller:
        bump_content_version()  # records the upcoming time, as publishing a scheduled article does
        client.get(reverse("home"))
        assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
        traveller.move_to(SCHEDULED + timedelta(seconds=1))
        assert client.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_unchanged_pages_answer_304_to_a_matching_etag(client, page_cache):
    first = client.get(reverse("privacy"))
    assert first["ETag"]
    again = client.get(reverse("privacy"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_cache_can_be_switched_off(client, settings):
    assert settings.PAGE_CACHE is False
    client.get(reverse("about"))
    assert "X-Page-Cache" not in client.get(reverse("about"))


def test_an_article_edit_is_visible_on_the_very_next_request(
    client, page_cache, django_capture_on_commit_callbacks
):
    from tests.factories import ArticleFactory

    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Before the edit")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert "Before the edit" in client.get("/articles/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "After the edit"
        article.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "After the edit" in response.content.decode()
    assert "After the edit" in client.get("/articles/").content.decode()


def test_a_scheduled_article_appears_on_time_despite_the_cache(
    client, page_cache, django_capture_on_commit_callbacks
):
    from tests.factories import ArticleFactory

    with time_machine.travel(NOON, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory(title="Already live")
            ArticleFactory.scheduled(when=SCHEDULED, title="Goes live in two minutes")
        assert "Goes live in two minutes" not in client.get("/articles/").content.decode()
        assert client.get("/articles/")["X-Page-Cache"] == "hit"
        traveller.move_to(SCHEDULED + timedelta(seconds=1))
        assert "Goes live in two minutes" in client.get("/articles/").content.decode()

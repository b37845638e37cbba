"""Every anonymous reader of a public page gets the same bytes: body and headers alike (the CSP and the ETag
included), so the nginx edge cache in deploy/nginx/lawsite.conf may keep one copy for everyone."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Headers that legitimately differ per response: the request id and the date (set by the server). Beside
# them only X-Page-Cache tells a rendered page ("miss") from its stored copy ("hit"): a diagnostic of the
# app's own cache; the edge keeps whichever copy it got first.
PER_RESPONSE = {"x-request-id", "date"}


def public_paths() -> list[str]:
    article = ArticleFactory()
    with translation.override("es"):
        spanish = [reverse("home"), reverse("about"), reverse("articles:list")]
    return [
        reverse("home"),
        reverse("about"),
        reverse("disclaimer"),
        reverse("privacy"),
        reverse("articles:list"),
        reverse("articles:practice_areas"),
        article.get_absolute_url(),
        article.practice_area.get_absolute_url(),
        reverse("feed"),
        reverse("sitemap"),
        *spanish,
    ]


def anonymous_get(path: str):
    return Client().get(path)  # a new client each time: no cookie carried over


def comparable_headers(response, ignore=frozenset()) -> dict:
    return {
        name.lower(): value
        for name, value in response.headers.items()
        if name.lower() not in PER_RESPONSE | ignore
    }


@pytest.mark.parametrize("cached", [False, True], ids=["page-cache-off", "page-cache-on"])
def test_two_anonymous_gets_of_a_public_page_are_byte_identical(settings, cached):
    from django.core.cache import cache

    settings.PAGE_CACHE = cached
    cache.clear()
    for path in public_paths():
        first, second = anonymous_get(path), anonymous_get(path)
        assert first.status_code == second.status_code == 200, path
        assert second.content == first.content, path
        # With the page cache on, the first is rendered ("miss") and the second read back ("hit").
        ignore = {"x-page-cache"} if cached else set()
        assert comparable_headers(second, ignore) == comparable_headers(first, ignore), path
        assert "ETag" in first and "Content-Security-Policy" in first, path
        assert "nonce" not in first["Content-Security-Policy"], path
        assert not first.cookies, path
        if cached:
            assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit"), path
            third = anonymous_get(path)  # two hits: every header the same
            assert comparable_headers(third) == comparable_headers(second), path
            assert third.content == second.content, path


def test_a_page_that_uses_a_nonce_still_gets_one_in_its_policy_and_markup(admin_client):
    """The admin's Markdown editor loads its script with a nonce: the policy offers exactly that nonce."""
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]

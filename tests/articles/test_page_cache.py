import os
import select
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from articles.approval import record_approval
from articles.models import ContentState
from articles.page_cache import bump_content_version, public_content_models, watch
from tests.factories import ArticleFactory
from tests.helpers import live_database_url

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SCHEDULED = NOON + timedelta(minutes=2)  # well inside PAGE_CACHE_SECONDS, so expiry alone would not do


def test_second_anonymous_request_is_a_hit_with_no_query_and_the_same_page(
    client, page_cache, django_assert_num_queries
):
    first = client.get(reverse("about"))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(reverse("about"))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["ETag"] == first["ETag"]
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Cache-Control"] == ("public, max-age=0, must-revalidate, s-maxage=1, stale-if-error=600")


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


def test_cached_entries_expire_when_scheduled_content_goes_live(
    client, page_cache, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOON, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):  # records the upcoming time
            ArticleFactory.scheduled(when=SCHEDULED, title="Goes live at two past noon")
        client.get(reverse("home"))
        assert client.get(reverse("home"))["X-Page-Cache"] == "hit"
        traveller.move_to(SCHEDULED + timedelta(seconds=1))
        response = client.get(reverse("home"))
        assert response["X-Page-Cache"] == "miss"
        assert "Goes live at two past noon" in response.content.decode()


def test_unchanged_pages_answer_304_to_a_matching_etag(client, page_cache):
    first = client.get(reverse("privacy"))
    assert first["ETag"]
    again = client.get(reverse("privacy"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_etag_is_the_bodys_sha1_and_a_personal_answer_gets_none(client):
    """lawsite.middleware.BodyETagMiddleware: the ETag names the body's bytes (SHA-1, cheaper than Django's
    MD5), whether or not the page cache is on; a no-store page (a /time-limits/ answer) gets no ETag."""
    import hashlib

    page = client.get(reverse("about"))
    assert page["ETag"] == f'"{hashlib.sha1(page.content, usedforsecurity=False).hexdigest()}"'
    answer = client.get(reverse("articles:time_limits"), {"what": "car", "who": "unsure"})
    assert (
        answer.status_code == 200 and "no-store" in answer["Cache-Control"] and not answer.has_header("ETag")
    )


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
    # Until an attorney approves the new text, readers keep the approved one...
    assert "Before the edit" in client.get(url).content.decode()
    assert "After the edit" not in client.get("/articles/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        record_approval(obj=article, approved_by=article.reviewed_by)
    # ...and the approval shows on the very next request.
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


def test_without_listen_a_hit_reads_the_version_with_one_query(
    client, page_cache, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_LISTEN = False
    client.get(reverse("about"))
    with django_assert_num_queries(1):
        assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


# Changes made by another process reach this one only through committed NOTIFYs, so these tests commit.
ROOT = Path(__file__).resolve().parents[2]


def bump_in_another_process() -> None:
    """What saving an article on another app server does: a separate process, a separate connection."""
    env = {**os.environ, "DATABASE_URL": live_database_url(), "DJANGO_DEBUG": "1"}
    code = "from articles.page_cache import bump_content_version; bump_content_version()"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60
    )


def wait_for_notification() -> None:
    """Block until PostgreSQL has delivered the NOTIFY to this process's listening socket."""
    ready, _, _ = select.select([watch._listener.pgconn.socket], [], [], 10)
    assert ready, "no notification arrived"


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_is_seen_without_polling(client, page_cache):
    client.get(reverse("about"))
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"
    bump_in_another_process()
    wait_for_notification()
    assert client.get(reverse("about"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_lost_listen_connection_is_replaced_and_changes_are_still_seen(client, page_cache):
    client.get(reverse("about"))
    with connection.cursor() as cursor:  # e.g. the database restarted, or an admin killed idle sessions
        cursor.execute("SELECT pg_terminate_backend(%s)", [watch._listener.info.backend_pid])
    wait_for_notification()  # the socket becomes readable when the server closes it
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"  # nothing changed: the same version
    assert watch._listener is not None and not watch._listener.closed
    bump_in_another_process()
    wait_for_notification()
    assert client.get(reverse("about"))["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_change_that_sent_no_notification_is_seen_at_the_next_recheck(client, page_cache, settings):
    from articles.models import ContentState

    client.get(reverse("about"))
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"
    ContentState.objects.update_or_create(pk=1, defaults={"version": 999})  # e.g. a restored backup
    assert client.get(reverse("about"))["X-Page-Cache"] == "hit"  # within the recheck interval
    settings.PAGE_CACHE_RECHECK_SECONDS = 0
    assert client.get(reverse("about"))["X-Page-Cache"] == "miss"


def test_when_listen_is_impossible_hits_read_the_version_and_stay_correct(
    client, page_cache, monkeypatch, django_assert_num_queries
):
    import psycopg

    def refuse(*args, **kwargs):
        raise psycopg.OperationalError("LISTEN not allowed here")

    watch.close()
    monkeypatch.setattr(watch, "_retry_at", 0.0)
    monkeypatch.setattr(psycopg, "connect", refuse)  # e.g. behind a transaction-pooling PgBouncer
    client.get(reverse("about"))
    with django_assert_num_queries(1):
        assert client.get(reverse("about"))["X-Page-Cache"] == "hit"
    bump_content_version()
    assert client.get(reverse("about"))["X-Page-Cache"] == "miss"


def test_a_deploy_that_changes_templates_or_static_files_gets_fresh_keys(settings, tmp_path):
    from articles.page_cache import build_id

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<h1>Release one</h1>")
    settings.BASE_DIR, settings.STATIC_ROOT = tmp_path, tmp_path / "static"
    build_id.cache_clear()
    try:
        first = build_id()
        page.write_text("<h1>Release two</h1>")
        build_id.cache_clear()
        second = build_id()
        settings.STATIC_ROOT.mkdir()
        (settings.STATIC_ROOT / "staticfiles.json").write_text(
            '{"paths": {"css/site.css": "css/site.1.css"}}'
        )
        build_id.cache_clear()
        third = build_id()
    finally:
        build_id.cache_clear()
    assert len({first, second, third}) == 3


def test_the_page_cache_is_off_by_default_in_development():
    from tests.test_site import run_django

    code = "import django; django.setup(); from django.conf import settings; print(settings.PAGE_CACHE)"
    assert run_django(code, DJANGO_DEBUG="1").stdout.strip() == "False"
    production = run_django(code, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 60, DJANGO_ALLOWED_HOSTS="x",
                            DATABASE_URL="postgres://u@127.0.0.1:1/x")  # fmt: skip
    assert production.stdout.strip() == "True", production.stderr


def test_every_model_with_a_public_page_clears_the_page_cache():
    """A model whose rows have their own public URL must declare changes_public_pages = True, or an edit
    to it would leave readers looking at the old page for up to PAGE_CACHE_SECONDS."""
    from django.apps import apps

    with_public_urls = {
        model
        for model in apps.get_models()
        if hasattr(model, "get_absolute_url") and not model._meta.label.startswith("auth.")
    }
    assert with_public_urls, "no model with a public URL found"
    assert with_public_urls <= set(public_content_models())


@pytest.mark.parametrize("model", public_content_models(), ids=lambda model: model._meta.label)
def test_saving_or_deleting_a_public_model_moves_the_content_version(
    model, django_capture_on_commit_callbacks
):
    from tests import factories

    factory = {
        "articles.Article": factories.ArticleFactory,
        "articles.PracticeArea": factories.PracticeAreaFactory,
        "articles.Person": factories.PersonFactory,
        "articles.TimeLimitRule": factories.TimeLimitRuleFactory,
    }.get(model._meta.label)

    def version():  # the row may be missing after a transactional test flushed the tables
        return ContentState.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    before = version()
    with django_capture_on_commit_callbacks(execute=True):
        if factory:
            row = factory()
        elif model._meta.label == "articles.ArticleRedirect":
            row = model.objects.create(old_slug="an-old-address", article=ArticleFactory())
        elif model._meta.label in {"articles.Approval", "articles.ArticleApproval"}:
            article = ArticleFactory(approved=False)
            row = record_approval(obj=article, approved_by=article.reviewed_by)
        elif model._meta.label == "articles.SearchSynonym":
            row = model.objects.create(phrase="hurt at work", expansion="workers compensation")
        else:
            pytest.fail(f"add a way to create {model._meta.label} to this test")
    after_save = version()
    assert after_save > before
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    assert version() > after_save


def test_a_forged_host_header_does_not_poison_the_cached_feed(client, page_cache, settings):
    settings.SITE_URL = "https://www.example.org"
    settings.ALLOWED_HOSTS = ["www.example.org", "localhost"]
    article = ArticleFactory(title="Feed me")
    poisoned = client.get("/feed/?x=", HTTP_HOST="localhost:6666").content.decode()
    assert "localhost:6666" not in poisoned
    later = client.get("/feed/", HTTP_HOST="www.example.org").content.decode()
    assert "localhost" not in later
    assert f'href="https://www.example.org{article.get_absolute_url()}"' in later
    assert '<link href="https://www.example.org/feed/" rel="self"' in later


def test_the_page_cache_key_keeps_only_the_query_parameters_a_page_uses(client, page_cache):
    from django.core.cache import cache

    ArticleFactory()
    first = client.get("/feed/?x=1")
    assert first["X-Page-Cache"] == "miss"
    for query in ("", "?x=2", "?utm_source=mail&y=3"):
        assert client.get("/feed/" + query)["X-Page-Cache"] == "hit", query
    # The article list reads ?page= and ?area=: those pages are distinct entries, extra parameters are not.
    assert client.get("/articles/?page=1")["X-Page-Cache"] == "miss"
    assert client.get("/articles/?page=1&junk=9")["X-Page-Cache"] == "hit"
    assert client.get("/articles/?area=nothing")["X-Page-Cache"] == "miss"
    entries = [key for key in cache._cache if ":page:" in key]  # local-memory cache under test
    assert len(entries) == 3

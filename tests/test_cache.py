"""Redis is an accelerator, never a dependency (lawsite/cache.py)."""

import logging
import socket
import time
import uuid

import pytest
import redis

from lawsite.cache import FailSoftRedisCache
from scripts import processes
from tests.factories import ArticleFactory


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound then released)."""
    return processes.free_port()


def backend(port: int, **options) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}", "OPTIONS": {"retry_seconds": 0.2, **options}},
    )


def test_a_redis_that_accepts_but_never_answers_is_given_up_on_after_one_timeout():
    with socket.socket() as silent:  # the kernel completes the TCP handshake; nobody ever replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        cache = backend(silent.getsockname()[1], retry_seconds=60)
        assert cache.get("page", "miss") == "miss"  # after the 200 ms socket timeout, not a hang
        assert cache._failures == 1
        for n in range(50):
            cache.set(f"key-{n}", n)
            assert cache.get(f"key-{n}") == n  # local memory, without touching the silent socket again
        assert cache._failures == 1
        assert cache.health() == "degraded"


@pytest.fixture
def redis_server():
    """A private redis-server on a free port (never the machine's shared Redis); yields (port, process)."""
    port = processes.free_port()
    process = processes.start_redis(port)
    yield port, process
    processes.stop(process)


def test_an_unreachable_redis_is_a_miss_and_one_warning(caplog):
    cache = backend(closed_port())
    with caplog.at_level(logging.WARNING, logger="lawsite.cache"):
        assert cache.get("page", "miss") == "miss"
        for n in range(200):
            cache.set(f"key-{n}", n)
            cache.get(f"key-{n}")
        assert cache.add("new", 1) is True
        cache.delete("new")
        assert cache.get_many(["key-1", "key-2"]) == {"key-1": 1, "key-2": 2}
    warnings = [r for r in caplog.records if r.name == "lawsite.cache"]
    assert len(warnings) == 1
    assert "Redis unavailable" in warnings[0].getMessage()
    # The breaker is open: the 400 calls above went to local memory, not to a dead socket each.
    assert cache._failures == 1
    assert cache.health() == "degraded"


def test_a_real_redis_is_used_and_caching_resumes_by_itself_after_an_outage(redis_server, caplog):
    port, process = redis_server
    cache = backend(port)
    direct = redis.Redis(port=port)
    cache.set("article", {"html": "<h1>Before</h1>"}, 60)
    assert cache.get("article") == {"html": "<h1>Before</h1>"}
    assert direct.exists(cache.make_key("article"))
    assert cache.health() == "ok"

    processes.stop(process)  # Redis goes away
    with caplog.at_level(logging.WARNING, logger="lawsite.cache"):
        assert cache.get("article") is None  # a miss, not an exception
        cache.set("during", "outage", 60)  # kept in this process's memory
        assert cache.get("during") == "outage"
        assert cache.health() == "degraded"

        process = processes.start_redis(port)  # and comes back on the same address
        try:
            time.sleep(0.3)  # past retry_seconds: the next call tries Redis again
            cache.set("after", "outage", 60)
            assert direct.get(cache.make_key("after")) is not None
            assert cache.get("after") == "outage"
            assert cache.health() == "ok"
        finally:
            processes.stop(process)
    messages = [r.getMessage() for r in caplog.records if r.name == "lawsite.cache"]
    assert any("Redis unavailable" in m for m in messages)
    assert any("Redis is back" in m for m in messages)


@pytest.fixture
def site_on_dead_redis(settings, page_cache):
    """The site's cache pointed at a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "lawsite.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"retry_seconds": 5},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_pages_are_served_while_redis_is_down(client, site_on_dead_redis):
    article = ArticleFactory()
    for path in ("/", "/articles/", article.get_absolute_url(), "/consultation/", "/search/?q=injury"):
        response = client.get(path)
        assert response.status_code == 200, path
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url())
    assert first.status_code == again.status_code == 200
    assert again["X-Page-Cache"] == "hit"  # from this process's memory while Redis is away
    health = client.get("/healthz")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["cache"]) == ("ok", "degraded")


def test_healthz_reports_the_cache_as_ok_without_redis(client, db):
    body = client.get("/healthz").json()
    assert (body["status"], body["cache"]) == ("ok", "ok")

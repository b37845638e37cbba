"""The shipped nginx site (deploy/nginx/lawsite.conf), run for real on loopback in front of gunicorn.

What a reader and an operator rely on: anonymous public pages come from the edge cache, everything personal
never does, unknown host names are dropped, the access log keeps no client address or query string, and
while no app server (or no database) answers, cached pages stay up for a bounded time.
"""

import http.client
import re
import time
import urllib.error
import urllib.request

import pytest

from scripts import processes
from scripts.edge import SITE_HOST, Edge
from tests.factories import ArticleFactory
from tests.helpers import live_database_url
from tests.test_production_smoke import fetch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.smoke]


def site_env(**overrides) -> dict:
    return processes.production_env(
        DATABASE_URL=live_database_url(),
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,{SITE_HOST}",
        DJANGO_LOG_LEVEL="WARNING",
        **overrides,
    )


def via(edge: Edge, path: str, **headers) -> tuple[int, dict, str]:
    return fetch(edge.url + path, {"Host": SITE_HOST, **headers})


def edge_status(edge: Edge, path: str, **headers) -> str:
    return via(edge, path, **headers)[1].get("X-Edge-Cache", "")


@pytest.fixture
def site(tmp_path):
    """One gunicorn node with production settings behind the shipped nginx site; yields (edge, node port)."""
    port = processes.free_port()
    node = processes.start_gunicorn(site_env(), port, log_path=tmp_path / "node.log")
    edge = None
    try:
        edge = Edge(tmp_path / "nginx", [port]).start()
        yield edge, port
    finally:
        if edge is not None:
            edge.stop()
        processes.stop(node)


def test_public_pages_come_from_the_edge_and_personal_ones_never_do(site):
    edge, _ = site
    article = ArticleFactory(slug="edge-article")
    for path in ("/", "/about/", article.get_absolute_url(), "/articles/?page=1"):
        first, second = via(edge, path), via(edge, path)
        assert (first[0], first[1]["X-Edge-Cache"]) == (200, "MISS"), path
        assert (second[0], second[1]["X-Edge-Cache"]) == (200, "HIT"), path
        # The request that reached Django names its id; a hit has none (the cached copy's would be another's).
        assert len(first[1].get_all("X-Request-ID")) == 1, path
        assert re.fullmatch(r"[0-9a-f]{32}", first[1]["X-Request-ID"]), path
        assert "X-Request-ID" not in second[1], path
        assert second[2] == first[2], path
        assert "s-maxage=1" in second[1]["Cache-Control"], path

    # Anyone with a session (staff) or a CSRF cookie, the form and thanks pages, search and the time
    # limits answers are never looked up in, nor stored in, the edge cache.
    for path, headers in [
        ("/about/", {"Cookie": "sessionid=abc"}),
        ("/about/", {"Cookie": "theme=x; csrftoken=abc"}),
        ("/consultation/", {}),
        ("/consultation/?article=edge-article", {}),
        ("/consultation/thanks/", {}),
        ("/es/consulta/", {}),
        ("/es/consulta/gracias/", {}),
        ("/search/?q=hospital", {}),
        ("/es/buscar/?q=hospital", {}),
        ("/time-limits/?what=medical&date=2026-01-05", {}),
        ("/es/plazos/?what=medical&date=2026-01-05", {}),
    ]:
        for _ in range(2):
            assert edge_status(edge, path, **headers) == "BYPASS", (path, headers)
    # A response that does not say s-maxage (here the robots file) passes through every time.
    for _ in range(2):
        assert edge_status(edge, "/robots.txt") in {"MISS", "EXPIRED"}
    # POST is never answered from the cache.
    for _ in range(2):
        request = urllib.request.Request(edge.url + "/about/", data=b"", headers={"Host": SITE_HOST})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403  # CSRF: a POST reached Django each time
        assert refused.value.headers["X-Edge-Cache"] != "HIT"

    # Nothing in the response tells nginx's version.
    assert via(edge, "/about/")[1]["Server"] == "nginx"

    # Another host name gets no answer at all, on both ports; plain HTTP for ours redirects to HTTPS.
    for url in (edge.url, f"http://127.0.0.1:{edge.http_port}"):
        with pytest.raises(http.client.RemoteDisconnected):
            fetch(url + "/about/", {"Host": "scanner.invalid"})
        with pytest.raises(http.client.RemoteDisconnected):
            fetch(url + "/about/")  # an address instead of a name
    status, headers, _ = fetch(f"http://127.0.0.1:{edge.http_port}/about/?x=1", {"Host": SITE_HOST})
    assert (status, headers["Location"]) == (301, "https://www.example.org/about/?x=1")

    # The access log: no client address, no query string.
    searched = via(edge, "/search/?q=my+doctor+john+smith")[1]["X-Request-ID"]
    edge.stop()  # flushes the buffered log
    log = (edge.prefix / "lawsite.access.log").read_text()
    assert 'GET "/search/" 200' in log
    assert "127.0.0.1" not in log and "john" not in log and "page=1" not in log
    assert "cache=HIT" in log and "cache=BYPASS" in log
    # A request that reached Django is logged with the id Django's own log lines carry; one nginx answered by
    # itself (a cached page, the redirect to HTTPS) never reached it, so it has none.
    assert f"cache=BYPASS id={searched}\n" in log
    assert " 301 " in log and "cache=HIT" in log
    for line in log.splitlines():
        if "cache=HIT" in line or ('GET "/about/" 301 ' in line and "cache=- " in line):
            assert line.endswith(" id=-"), line
        else:
            assert re.search(r" id=[0-9a-f]{32}$", line), line


def test_cached_pages_stay_up_for_a_bounded_time_while_no_database_or_no_app_server_answers(tmp_path):
    ArticleFactory(slug="edge-article")
    port = processes.free_port()
    # stale-if-error, which bounds how long the edge serves its last copy, shortened from 10 minutes.
    bound = 12
    env = site_env(DJANGO_EDGE_STALE_SECONDS=str(bound))
    node = processes.start_gunicorn(env, port)
    edge = Edge(tmp_path / "nginx", [port]).start()
    try:
        assert via(edge, "/about/")[0] == 200
        assert edge_status(edge, "/about/") == "HIT"
        stored = time.monotonic()

        # The database goes away: the app answers its 503 page, the edge its last copy of a page it keeps.
        processes.stop(node)
        node = processes.start_gunicorn(
            dict(env, DATABASE_URL="postgres://postgres@127.0.0.1:9/unreachable"), port
        )
        time.sleep(max(0.0, stored + 2.1 - time.monotonic()))  # past the copy's freshness (whole seconds)
        assert fetch(f"http://127.0.0.1:{port}/about/", {"Host": SITE_HOST})[0] == 503
        status, headers, body = via(edge, "/about/")
        assert (status, headers["X-Edge-Cache"]) == (200, "STALE")
        assert "<h1" in body
        status, _, body = via(edge, "/privacy/")  # a page the edge never had: Django's own 503 page
        assert status == 503 and "212-766-5222" in body

        # Every app server down: the copy is still served; a page the edge never had is nginx's 502.
        processes.stop(node)
        assert via(edge, "/about/")[0] == 200
        assert via(edge, "/about/")[1]["X-Edge-Cache"] == "STALE"
        assert via(edge, "/privacy/")[0] == 502

        # ... for at most stale-if-error after the copy expired (nginx counts whole seconds), then the
        # outage shows.
        while via(edge, "/about/")[0] == 200 and time.monotonic() < stored + bound + 10:
            time.sleep(0.5)
        served_for = time.monotonic() - stored
        assert via(edge, "/about/")[0] == 502
        assert bound <= served_for <= bound + 3, served_for
    finally:
        edge.stop()
        processes.stop(node)

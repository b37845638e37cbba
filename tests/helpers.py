"""Small helpers shared by tests (fixtures live in conftest.py)."""

from contextlib import contextmanager
from html.parser import HTMLParser

from django.db import connection


def assert_page_clean(page):
    """No CSP violation, console error or uncaught exception happened on a watched_page."""
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], violations
    assert page.problems == [], page.problems


class HeadParser(HTMLParser):
    """Collects what test_site checks on every page: h1 count, title, meta description, canonical."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.title = ""
        self.meta = {}
        self.links = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")
        elif tag == "meta" and "property" in attrs:
            self.meta[attrs["property"]] = attrs.get("content", "")
        elif tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs.get("href", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse_head(html: str) -> HeadParser:
    parser = HeadParser()
    parser.feed(html)
    return parser


def live_database_url() -> str:
    """A URL for the database pytest-django created, so a subprocess (gunicorn, a worker) sees the test's data."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{db['NAME']}?host={host}"
    return f"postgresql://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def database_away():
    """PostgreSQL is unreachable, as during an outage: this process's default connection points at a local port
    nothing listens on, so every query fails to connect (a real OperationalError from psycopg). Only in
    transactional tests (the connection is closed on the way in and out)."""
    from scripts.processes import free_port

    db = connection.settings_dict
    saved = {key: db[key] for key in ("HOST", "PORT")}
    connection.close()
    db.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        connection.close()
        db.update(saved)

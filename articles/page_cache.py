"""A page cache that is never stale.

Public pages (views wrapped with ``public_page``) are cached whole for anonymous visitors. The key holds
the content version from the shared ``ContentState`` row, and an "epoch": how many of the upcoming
scheduled publication times have passed. A model opts in to "editing me changes public pages" with the
class attribute ``changes_public_pages = True``, next to its fields; any save or delete of such a model
bumps the version once the change commits (``connect_invalidation``, run from ArticlesConfig.ready).
tests/articles/test_page_cache.py fails if a model with a public URL forgets to opt in. Staff (anyone with a session cookie), non-GET requests and
responses that set cookies are never cached. Public pages use no CSP nonce, so a hit is byte for byte the
stored page; a page that did use one (none does today) gets a fresh nonce in its body and header per hit.

Reading the version on every hit would cost a database round trip, which is most of a hit's time. So each
process keeps a copy of the row and a second connection that LISTENs on a channel; every bump NOTIFYs in
the same transaction. A hit only asks that connection's socket, without blocking, whether a notification
has arrived; if one has (or the listener is down, or the copy is older than PAGE_CACHE_RECHECK_SECONDS)
it reads the row again. The process that makes a change forgets its copy at once; other processes see
the notification as soon as PostgreSQL delivers it after the commit (well under a millisecond on one
host). ``DJANGO_PAGE_CACHE_LISTEN=0`` (e.g. behind a transaction-pooling PgBouncer, where LISTEN does not
work) falls back to reading the row on every hit.
"""

import contextlib
import functools
import hashlib
import json
import logging
import os
import select
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone
from psycopg.pq import ConnStatus

from articles.models import Article, ContentState

logger = logging.getLogger(__name__)

ATTRIBUTE = "lawsite_public_page"
CHANNEL = "lawsite_content_state"


QUERY_ATTRIBUTE = "lawsite_public_page_query"


def public_page(view, *, query: tuple[str, ...] = ()):
    """Mark a view whose anonymous GET responses may be served from the page cache.

    `query` names the query parameters the view reads (e.g. ``("page",)``): only they are part of the cache
    key, so `?utm_source=…` or `?x=1` gets the same entry as the plain address instead of a new one each
    (an unbounded number of entries is a cheap way to flush everything else out of the cache).
    """
    setattr(view, ATTRIBUTE, True)
    setattr(view, QUERY_ATTRIBUTE, frozenset(query))
    return view


def cache_address(request, used: frozenset) -> str:
    """The path and, sorted, only the query parameters the page uses."""
    kept = sorted((name, value) for name, values in request.GET.lists() if name in used for value in values)
    return request.path + ("?" + urlencode(kept) if kept else "")


def upcoming_publications() -> list[str]:
    """ISO times at which scheduled articles go live."""
    times = Article.objects.scheduled().values_list("published_at", flat=True)
    return sorted(t.isoformat() for t in times)


def bump_content_version() -> None:
    """Invalidate every cached page on every app server; called when public content changes."""
    upcoming = upcoming_publications()
    with transaction.atomic():
        updated = ContentState.objects.filter(pk=1).update(
            version=F("version") + 1, upcoming=upcoming, changed_at=timezone.now()
        )
        if not updated:
            ContentState.objects.get_or_create(pk=1, defaults={"version": 2, "upcoming": upcoming})
        with connection.cursor() as cursor:  # delivered to every listening process at commit
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
    watch.forget()


def _read_state() -> tuple[int, list[str]]:
    # Raw SQL: the ORM's query building costs more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, upcoming FROM {ContentState._meta.db_table} WHERE id = 1")  # noqa: S608
        version, upcoming = cursor.fetchone() or (1, [])
    if isinstance(upcoming, str):
        upcoming = json.loads(upcoming)
    return version, upcoming


def _first_line(error: Exception) -> str:
    """psycopg's messages run over several lines ("This probably means..."): one log line is enough."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class ContentStateWatch:
    """This process's copy of the ContentState row, kept current by LISTEN/NOTIFY (see the module doc)."""

    RETRY_SECONDS = 5  # after a failed LISTEN connection, before trying again

    def __init__(self):
        self._lock = threading.Lock()  # runserver serves requests from several threads
        self._listener: psycopg.Connection | None = None
        self._pid = 0
        self._state: tuple[int, list[str]] | None = None
        self._read_at = 0.0
        self._retry_at = 0.0
        # The last state read successfully, kept through forget()/close(): served while the database is down.
        self._last_good: tuple[int, list[str]] | None = None
        self._last_good_at = 0.0
        self._db_retry_at = 0.0
        # While the database is away: logged once when it goes (and LISTEN fails), once when it is back.
        self._away = False
        self._listen_failing = False

    def forget(self) -> None:
        """Read the row again on the next request (this process has just changed it, or a test rolled back)."""
        with self._lock:
            self._state = None
            self._last_good = None
            self._db_retry_at = 0.0

    def close(self) -> None:
        """Drop the LISTEN connection (it comes back on the next request), e.g. before the database is dropped."""
        with self._lock:
            self._close()

    def current(self) -> tuple[int, list[str]]:
        """The content version and upcoming publication times.

        While the database cannot be reached, the last state this process read is used for at most
        PAGE_CACHE_STALE_SECONDS (so cached pages are still served; nothing can be edited meanwhile), and
        the database is asked again at most once a second. Raises DatabaseError past that."""
        if self._last_good is not None and time.monotonic() < self._db_retry_at:
            return self._last_good
        try:
            state = self._current()
        except (DatabaseError, psycopg.Error) as error:
            with self._lock:
                self._db_retry_at = time.monotonic() + 1.0
                fresh = self._last_good is not None and (
                    time.monotonic() - self._last_good_at < settings.PAGE_CACHE_STALE_SECONDS
                )
                if not fresh:
                    self._last_good = None
                    raise
                if not self._away:
                    logger.warning(
                        "page cache: database unreachable (%s); serving cached pages of version %s meanwhile",
                        type(error).__name__,
                        self._last_good[0],
                    )
                    self._away = True
                return self._last_good
        if self._away:
            logger.info("page cache: database reachable again")
            self._away = False
        self._last_good, self._last_good_at, self._db_retry_at = state, time.monotonic(), 0.0
        return state

    def _current(self) -> tuple[int, list[str]]:
        with self._lock:
            listening = settings.PAGE_CACHE_LISTEN and self._listen()
            if listening and not self._notified() and self._state is not None:
                if time.monotonic() - self._read_at < settings.PAGE_CACHE_RECHECK_SECONDS:
                    return self._state
                state = _read_state()
                if state != self._state:  # changed with no notification: the listener cannot be trusted
                    logger.warning("page cache: content changed without a notification; reconnecting")
                    self._close()
                self._state, self._read_at = state, time.monotonic()
                return state
            state = _read_state()  # read after LISTEN and after draining, so no change falls in between
            self._state = state if (listening and self._listener is not None) else None
            self._read_at = time.monotonic()
            return state

    def _listen(self) -> bool:
        if self._listener is not None and self._pid == os.getpid():
            return True
        self._listener = None  # a forked child must not share its parent's socket
        if time.monotonic() < self._retry_at:
            return False
        params = {
            key: value
            for key, value in connection.get_connection_params().items()
            if key not in {"cursor_factory", "context", "prepare_threshold"}
        }
        params.setdefault("application_name", "lawsite page cache")
        listener = None
        try:
            listener = psycopg.connect(**params, autocommit=True)
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            if not self._listen_failing:  # once, not every RETRY_SECONDS while the database is away
                logger.warning(
                    "page cache: cannot LISTEN (%s); reading the version on every hit", _first_line(error)
                )
                self._listen_failing = True
            if listener is not None:
                with contextlib.suppress(psycopg.Error):
                    listener.close()
            self._state = None
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        self._listener, self._pid, self._state = listener, os.getpid(), None
        self._listen_failing = False
        return True

    def _notified(self) -> bool:
        """True when a change was announced since the last call (or the listener broke)."""
        pgconn = self._listener.pgconn
        try:
            ready, _, _ = select.select([pgconn.socket], [], [], 0)
            if not ready:
                return False
            pgconn.consume_input()
            changed = False
            while pgconn.notifies() is not None:
                changed = True
            if pgconn.status != ConnStatus.OK:
                raise psycopg.OperationalError("the LISTEN connection was closed")
            return changed
        except (psycopg.Error, OSError) as error:
            logger.warning("page cache: LISTEN connection lost (%s); reconnecting", _first_line(error))
            self._close()
            return True

    def _close(self) -> None:
        if self._listener is not None and self._pid == os.getpid():
            with contextlib.suppress(psycopg.Error):
                self._listener.close()
        self._listener = None
        self._state = None


watch = ContentStateWatch()


def _content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    transaction.on_commit(bump_content_version)


def public_content_models() -> list:
    """Every installed model that declares ``changes_public_pages = True``."""
    return [model for model in apps.get_models() if getattr(model, "changes_public_pages", False)]


def connect_invalidation() -> None:
    for model in public_content_models():
        label = model._meta.label
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")


BUILD_SOURCES = ("lawsite", "articles", "consultations", "templates")
BUILD_SUFFIXES = {".py", ".html", ".txt", ".md"}


@functools.cache
def build_id() -> str:
    """Changes with the code, templates and static files, so that after a deploy no page rendered by the
    previous release (with links to static files it may have removed) is served from a shared Redis cache."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for root in BUILD_SOURCES:
        for path in sorted((base / root).rglob("*")):
            if path.suffix in BUILD_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def _state_key(request, used: frozenset = frozenset()) -> tuple[str, int]:
    """The cache key for this request and how long its entry may live (never past the next scheduled
    publication time)."""
    version, upcoming = watch.current()
    now = timezone.now()
    times = [datetime.fromisoformat(t) for t in upcoming]
    epoch = sum(1 for t in times if t <= now)
    timeout = settings.PAGE_CACHE_SECONDS
    later = [t for t in times if t > now]
    if later:
        timeout = max(1, min(timeout, int((min(later) - now).total_seconds())))
    path = hashlib.sha256(cache_address(request, used).encode()).hexdigest()[:32]
    return f"page:{build_id()}:{version}.{epoch}:{request.method}:{path}", timeout


def public_cache_control() -> str:
    """Cache-Control of a public page for an anonymous reader.

    Browsers may keep it but must check back (ETag) before showing it again. A shared cache in front of
    every app server (the nginx edge, deploy/nginx/lawsite.conf) may keep it for EDGE_CACHE_SECONDS
    (s-maxage; about a second, so an approved edit is seen everywhere about a second later) and, while
    no app server or database answers, hand out its last copy for at most EDGE_STALE_SECONDS
    (stale-if-error). nginx caches only what says s-maxage: every other response passes through."""
    value = "public, max-age=0, must-revalidate"
    if settings.EDGE_CACHE_SECONDS > 0:
        value += f", s-maxage={settings.EDGE_CACHE_SECONDS}, stale-if-error={settings.EDGE_STALE_SECONDS}"
    return value


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_page_cache_public", False) and "Cache-Control" not in response:
            response.headers["Cache-Control"] = public_cache_control()
        key = getattr(request, "_page_cache_key", None)
        if key and self._storable(response):
            nonce = get_nonce(request)
            cache.set(
                key,
                {
                    "content": response.content,
                    "status": response.status_code,
                    "headers": [
                        (k, v)
                        for k, v in response.headers.items()
                        if k.lower() not in {"content-security-policy", "x-request-id"}
                    ],
                    "nonce": str(nonce) if nonce else "",
                },
                request._page_cache_timeout,
            )
            response.headers["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (settings.PAGE_CACHE and getattr(view_func, ATTRIBUTE, False)):
            if getattr(view_func, ATTRIBUTE, False) and request.method in {"GET", "HEAD"}:
                request._page_cache_public = settings.SESSION_COOKIE_NAME not in request.COOKIES
            return None
        if request.method not in {"GET", "HEAD"} or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        request._page_cache_public = True
        key, timeout = _state_key(request, getattr(view_func, QUERY_ATTRIBUTE, frozenset()))
        hit = cache.get(key)
        if hit is None:
            request._page_cache_key, request._page_cache_timeout = key, timeout
            return None
        response = HttpResponse(status=hit["status"])
        content = hit["content"]
        nonce = get_nonce(request)
        if hit["nonce"] and nonce is not None:
            # Each response gets its own nonce, as if it had just been rendered.
            content = content.replace(hit["nonce"].encode(), str(nonce).encode())
        response.content = content
        for header, value in hit["headers"]:
            response.headers[header] = value
        response.headers["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

"""A page cache that is never stale.

Public pages (views wrapped with ``public_page``) are cached whole for anonymous visitors. The key holds
the content version from the shared ``ContentState`` row, which any change to the models listed in
``settings.PAGE_CACHE_MODELS`` bumps once the change commits, and an "epoch": how many of the upcoming
scheduled publication times have passed. Staff (anyone with a session cookie), non-GET requests and
responses that set cookies are never cached. A hit costs one small query (the state row) and gets a
fresh CSP nonce.
"""

import hashlib
import json
import logging
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

ATTRIBUTE = "lawsite_public_page"


def public_page(view):
    """Mark a view whose anonymous GET responses may be served from the page cache."""
    setattr(view, ATTRIBUTE, True)
    return view


def upcoming_publications() -> list[str]:
    """ISO times at which scheduled content goes live (from settings.PAGE_CACHE_UPCOMING, if set)."""
    if not settings.PAGE_CACHE_UPCOMING:
        return []
    times = import_string(settings.PAGE_CACHE_UPCOMING)()
    return sorted(t.isoformat() for t in times)


def bump_content_version() -> None:
    """Invalidate every cached page on every app server; called when public content changes."""
    from lawsite.models import ContentState

    upcoming = upcoming_publications()
    updated = ContentState.objects.filter(pk=1).update(
        version=F("version") + 1, upcoming=upcoming, changed_at=timezone.now()
    )
    if not updated:
        ContentState.objects.get_or_create(pk=1, defaults={"version": 2, "upcoming": upcoming})


def _content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    transaction.on_commit(bump_content_version)


def connect_invalidation() -> None:
    for label in settings.PAGE_CACHE_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            logger.warning("PAGE_CACHE_MODELS names %s, which does not exist", label)
            continue
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")


def _state_key(request) -> tuple[str, int]:
    """The cache key for this request and how long its entry may live (never past the next scheduled
    publication time)."""
    from lawsite.models import ContentState

    # Raw SQL: this runs on every cache hit, and the ORM's query building costs more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, upcoming FROM {ContentState._meta.db_table} WHERE id = 1")  # noqa: S608
        version, upcoming = cursor.fetchone() or (1, [])
    if isinstance(upcoming, str):
        upcoming = json.loads(upcoming)
    now = timezone.now()
    times = [datetime.fromisoformat(t) for t in upcoming]
    epoch = sum(1 for t in times if t <= now)
    timeout = settings.PAGE_CACHE_SECONDS
    later = [t for t in times if t > now]
    if later:
        timeout = max(1, min(timeout, int((min(later) - now).total_seconds())))
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}.{epoch}:{request.method}:{path}", timeout


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_page_cache_public", False) and "Cache-Control" not in response:
            # Browsers and proxies may keep the page but must check back (ETag) before showing it again.
            response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
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
        key, timeout = _state_key(request)
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

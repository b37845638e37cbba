import contextvars
import hashlib
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.http import quote_etag

from articles.i18n import language_of_path
from lawsite.views import DATABASE_UNAVAILABLE, database_unavailable
from outbox import rounds

logger = logging.getLogger(__name__)


class LanguageFromPathMiddleware:
    """Activates Spanish for /es/… and English for every other path, for this request only.

    Deliberately not django.middleware.locale.LocaleMiddleware: that one also reads Accept-Language and a
    cookie, and redirects, so one address could answer in two languages and the page cache (keyed by the
    path) could hand a Spanish page to an English reader. Here the address alone decides.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class BodyETagMiddleware(ConditionalGetMiddleware):
    """Django's ConditionalGetMiddleware (an ETag from the body, 304 for a matching If-None-Match), with the
    ETag a SHA-1 of the body instead of MD5: 12 us instead of 30 us for an article's 24 KB on this project's
    machines (timeit, December 2026), on every uncached page. It names the bytes, nothing more (not a
    security use); the ETag changes exactly when the body does, as before."""

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and not response.streaming
            and not response.has_header("ETag")
            and response.content
            and self.needs_etag(response)
        ):
            response.headers["ETag"] = quote_etag(
                hashlib.sha1(response.content, usedforsecurity=False).hexdigest()
            )
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy, which Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


_request_id = contextvars.ContextVar("request_id", default="-")
# Accept a proxy's id only if it looks like one, so nothing odd reaches the logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIDMiddleware:
    """Gives every request an id (the proxy's X-Request-ID if sane), echoed in the response and the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs "Not Found"/errors after the middleware chain returns.
        _request_id.set(request.id)
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request.id
        return response


def current_request_id() -> str:
    """The id on log lines and error reports: in the outbox worker, the id of its current round (outbox/rounds.py,
    even while a job renders a page through Django); otherwise the id of the request this thread is serving
    ("-" outside one)."""
    return rounds.current() or _request_id.get()


class RequestIDLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


class StaffSessionIdleTimeoutMiddleware:
    """Logs staff out after settings.STAFF_IDLE_TIMEOUT without a request.

    The last-seen time is written at most once a minute, so staff browsing does not turn every GET
    into a session write, and visitors without a session are never touched.
    """

    KEY = "staff_last_seen"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_seen = request.session.get(self.KEY, now)
            if now - last_seen > settings.STAFF_IDLE_TIMEOUT.total_seconds():
                logout(request)
            elif now - last_seen >= self.WRITE_EVERY or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers the 503 page (firm phone, Retry-After) instead of a 500.

    Pages in the page cache are still served while the database is down (articles/page_cache.py); errors
    raised outside a view (in other middleware) reach the same page through handler500 (lawsite/views.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning(
            "database unavailable (%s) on %s %s: answered 503",
            type(exception).__name__,
            request.method,
            request.path,
        )
        return database_unavailable(request)

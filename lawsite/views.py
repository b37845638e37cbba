import logging
import sys
from datetime import timedelta

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token

from articles.context_processors import site_context
from articles.i18n import current_language
from lawsite.cache import cache_health

logger = logging.getLogger(__name__)


# Raised when PostgreSQL is down, restarting or unreachable (and for the rare deadlock or cancelled
# statement, where "try again in a moment" is also the right answer).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# How long a visitor's browser (and a load balancer) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise. No personal data: states, ages in seconds.

    Redis trouble never makes a node unhealthy (the site works without it), and neither does a stopped outbox
    worker (every node would leave the load balancer for something no visitor sees at once): both only show
    in the body, as "cache" and "worker": "ok" or "degraded", for monitoring to alert on. "worker" is degraded
    when no worker has gone round its loop for OUTBOX_WORKER_STALE_SECONDS or an email has waited
    OUTBOX_PENDING_ALERT_SECONDS to go out (outbox/heartbeat.py)."""
    from outbox.heartbeat import worker_health  # models: not importable when logging loads this module

    cache = cache_health()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable", "cache": cache}, status=503)
    try:
        worker = worker_health()
    except DatabaseError as error:  # the database answers but not these tables (not migrated yet)
        logger.warning("healthz: cannot read the outbox (%s)", type(error).__name__)
        worker = {"worker": "degraded", "worker_seen_seconds_ago": None, "oldest_pending_email_seconds": None}
    return JsonResponse({"status": "ok", "cache": cache, **worker})


@cache_control(max_age=86400, public=True)
def security_txt(request):
    """RFC 9116: where to report a security problem. Expires rolls forward, as the RFC allows."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    body = loader.render_to_string("security.txt", {**site_context(), "expires": expires.isoformat()})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def bench_baseline(request):
    """The benchmark's yardstick: the cheapest page Django can serve through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """A friendly 403 in the site's look; the form's text is lost only if the browser drops it."""
    return render(request, "403_csrf.html", status=403)


def database_unavailable(request):
    """503 while PostgreSQL is down or restarting: the firm's phone, Retry-After, nothing cached.

    Rendered without context processors or the request (like the 500 page), so nothing here can touch
    the database again."""
    template = loader.get_template("503.html")
    context = {**site_context(current_language()), "canonical_url": "", "alternates": {}}
    response = HttpResponse(template.render(context), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """The 500 page must not depend on the database or on context processors that may have failed.

    A database outage noticed outside a view (e.g. loading a staff session in middleware) gets the 503
    page instead: it is not a bug, and the visitor should simply try again."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    template = loader.get_template("500.html")
    language = current_language()  # set from the path by LanguageFromPathMiddleware
    context = {**site_context(language), "canonical_url": "", "alternates": {}}
    return HttpResponseServerError(template.render(context))

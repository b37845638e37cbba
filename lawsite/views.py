import logging
from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token

from articles.context_processors import site_context
from articles.i18n import current_language

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 when the database answers a trivial query, 503 otherwise. No personal data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


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


@requires_csrf_token
def server_error(request):
    """The 500 page must not depend on the database or on context processors that may have failed."""
    template = loader.get_template("500.html")
    language = current_language()  # set from the path by LanguageFromPathMiddleware
    context = {**site_context(language), "canonical_url": "", "alternates": {}}
    return HttpResponseServerError(template.render(context))

"""Error reporting to Sentry (or any Sentry-compatible service), switched on by SENTRY_DSN.

Started once per process from LawsiteConfig.ready(), so the web processes (gunicorn, the development server)
and the outbox worker report the same way: unhandled exceptions, and every log line at ERROR. Each event
carries the release (the build id that also keys the page cache: articles/page_cache.py) and
SENTRY_ENVIRONMENT. Without SENTRY_DSN the SDK is not even imported.

No personal data may leave the server. The SDK's `send_default_pii=False` is not enough on its own: a failing
form POST would still send the posted fields, and frame locals can hold a form's cleaned data. So:

- request bodies are never read (`max_request_body_size="never"`), local variables never sent, breadcrumbs
  never kept (log lines and SQL leading up to an error would go with it);
- `scrub()` (the last step before an event leaves) keeps of the request only its method and its path (no
  query string, cookies, headers, client address), drops the user, and cuts exception and log messages:
  on a request that carried a body (a form) the message is dropped entirely, since the visitor's words can
  appear anywhere in it (a database error quotes the row it refused); elsewhere only its first line is kept
  (PostgreSQL puts the refused row's values in the DETAIL lines), with email addresses and phone numbers
  removed;
- an expected outage is not an error: a web request refused with the 503 page because PostgreSQL is away
  sends nothing (the outbox worker reports the outage once; lawsite/views.py logs one warning per request).

`manage.py send_test_error` sends one event, to check the wiring. tests/test_error_reporting.py points the
SDK at a local HTTP server standing in for Sentry and reads what arrives.
"""

import logging
import re

from django.conf import settings

logger = logging.getLogger(__name__)

ADDRESS = re.compile(r"[^\s<>@\"'(),;]+@[^\s<>@\"'(),;]+")
# Seven or more digits, possibly grouped with spaces, dots, dashes or brackets: a phone number.
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
REMOVED = "[removed]"
# Methods whose request has a body: a form, an upload, an admin edit.
METHODS_WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}
SAFE_REQUEST_KEYS = ("method", "url")


def start() -> bool:
    """Start the SDK when SENTRY_DSN is set; True when it is reporting. A malformed DSN is logged, not fatal
    (`manage.py check` names it: lawsite.E050)."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.atexit import AtexitIntegration
    from sentry_sdk.integrations.dedupe import DedupeIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.excepthook import ExcepthookIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.utils import BadDsn

    from articles.page_cache import build_id

    try:
        sentry_sdk.init(
            dsn=settings.SENTRY_DSN,
            release=build_id(),
            environment=settings.SENTRY_ENVIRONMENT,
            # Only the integrations we checked: the defaults also add sys.argv (a command's arguments) to
            # every event and record outgoing HTTP calls.
            default_integrations=False,
            auto_enabling_integrations=False,
            integrations=[
                DjangoIntegration(),
                # ERROR lines become events; nothing is kept as a breadcrumb or sent as a Sentry log.
                LoggingIntegration(level=None, event_level=logging.ERROR, sentry_logs_level=None),
                ExcepthookIntegration(),
                DedupeIntegration(),
                AtexitIntegration(),
            ],
            send_default_pii=False,
            max_request_body_size="never",
            include_local_variables=False,
            max_breadcrumbs=0,
            auto_session_tracking=False,
            send_client_reports=False,
            before_send=scrub,
        )
    except BadDsn:
        logger.error("error reporting is off: SENTRY_DSN is not a valid DSN")  # noqa: TRY400 (no traceback: it quotes the DSN)
        return False
    return True


def scrub(event: dict, hint: dict) -> dict | None:
    """The last look at an event before it leaves: see the module docstring for what is kept."""
    from django.db import InterfaceError, OperationalError

    from lawsite.middleware import current_request_id

    exc_info = hint.get("exc_info")
    request = event.get("request") or {}
    if request and exc_info and isinstance(exc_info[1], OperationalError | InterfaceError):
        return None  # the database is away: the visitor got the 503 page, and that is logged
    method = str(request.get("method", "")).upper()
    carried_a_body = method in METHODS_WITH_BODY
    if request:
        kept = {key: request[key] for key in SAFE_REQUEST_KEYS if key in request}
        if "url" in kept:
            kept["url"] = str(kept["url"]).split("?", 1)[0]
        event["request"] = kept
    event.pop("user", None)
    event.pop("breadcrumbs", None)
    event.pop("extra", None)  # what a log call passed in `extra`, and the log record's own attributes
    if (request_id := current_request_id()) != "-":
        event.setdefault("tags", {})["request_id"] = request_id  # the id on the same request's log lines

    for exception in (event.get("exception") or {}).get("values") or []:
        if "value" in exception:
            exception["value"] = REMOVED if carried_a_body else first_line(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry") or event.get("message")
    if isinstance(logentry, dict):
        if carried_a_body:
            logentry.pop("params", None)
            logentry.pop("formatted", None)
            if "message" in logentry:
                logentry["message"] = first_line(logentry["message"])
        else:
            for key in ("message", "formatted"):
                if key in logentry:
                    logentry[key] = first_line(logentry[key])
            if "params" in logentry:
                logentry["params"] = [first_line(param) for param in logentry["params"] or []]
    elif isinstance(logentry, str):
        event["message"] = first_line(logentry)
    return event


def first_line(value) -> str:
    """The first line of a message, without email addresses or phone numbers."""
    text = str(value).strip().split("\n", 1)[0]
    return PHONE.sub(REMOVED, ADDRESS.sub(REMOVED, text))[:500]

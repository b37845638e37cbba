"""What the site does: the firm and its compliance switches, email, the consultation form, the outbox worker
and its periodic jobs, attorney approval, the advertising archive, the page and edge caches, error reporting
and logging."""

import sys
from datetime import timedelta
from urllib.parse import urlencode

from lawsite.mailers import EmailURLError, parse_email_url
from lawsite.settings.core import DEBUG, env, env_bool, env_int, env_list, environment

# Whole-page cache for anonymous visitors (articles/page_cache.py). Models opt in to clearing it with
# `changes_public_pages = True`. Off by default under DEBUG, so a template edit in development shows on the
# next reload.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)
# Each process learns of changes through LISTEN/NOTIFY instead of a query per hit; off behind a
# transaction-pooling PgBouncer. The process's copy of the version is re-read at least this often anyway.
PAGE_CACHE_LISTEN = env_bool("DJANGO_PAGE_CACHE_LISTEN", True)
PAGE_CACHE_RECHECK_SECONDS = env_int("DJANGO_PAGE_CACHE_RECHECK_SECONDS", 10)
# While PostgreSQL is unreachable, cached pages are still served under the last content version this
# process read, for at most this long (seconds); other pages answer a 503 page with the firm's phone.
PAGE_CACHE_STALE_SECONDS = env_int("DJANGO_PAGE_CACHE_STALE_SECONDS", 300)
# The nginx edge in front of every app server (deploy/nginx/lawsite.conf) keeps a public page for this long
# (Cache-Control s-maxage; 0: the edge keeps nothing), and while no app server or database answers it serves
# its last copy for at most EDGE_STALE_SECONDS (stale-if-error).
EDGE_CACHE_SECONDS = env_int("DJANGO_EDGE_CACHE_SECONDS", 1)
EDGE_STALE_SECONDS = env_int("DJANGO_EDGE_STALE_SECONDS", 600)

# Email: one URL, parsed into Django 6.1 MAILERS.
try:
    MAILERS = {"default": parse_email_url(env("EMAIL_URL", "console://"))}
except EmailURLError as exc:
    environment.problem(f"EMAIL_URL is not valid: {exc}.")
    # Sends nothing and says why (the outbox keeps the email and retries); lawsite.E062 names the variable.
    MAILERS = {"default": {"BACKEND": "lawsite.mailers.UnconfiguredEmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Leav & Steinberg LLP <website@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
FIRM_INTAKE_EMAILS = env_list("FIRM_INTAKE_EMAILS", "intake@example.com")
FIRM_ALERT_EMAILS = env_list("FIRM_ALERT_EMAILS", "alerts@example.com")

# Consultation form (consultations/): spam limits and how long closed requests keep personal data.
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT", 5)  # requests per client address...
CONSULTATION_RATE_WINDOW = timedelta(minutes=env_int("CONSULTATION_RATE_WINDOW_MINUTES", 10))  # ...per window
CONSULTATION_MIN_FILL_SECONDS = env_int("CONSULTATION_MIN_FILL_SECONDS", 3)
# A form shown longer ago than this is shown again (answers kept) to be sent once more; each showing of the
# form sends one request (a replayed timer token is stored as spam).
CONSULTATION_FORM_MAX_AGE = timedelta(hours=env_int("CONSULTATION_FORM_MAX_AGE_HOURS", 24))
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 365)
# Email outbox worker (manage.py run_outbox_worker): retries back off exponentially, with jitter.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_POLL_SECONDS = env_int("OUTBOX_POLL_SECONDS", 2)
# A claimed email is leased to its worker for this long and renewed while the worker works (outbox/lease.py),
# so the emails of a worker that crashed or was killed mid-batch are sent by another within seconds.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 15)
# /healthz says "worker": "degraded" (still 200) when no outbox worker has gone round its loop for this long,
# or when an email has waited this long to go out (outbox/heartbeat.py).
OUTBOX_WORKER_STALE_SECONDS = env_int("OUTBOX_WORKER_STALE_SECONDS", 180)
OUTBOX_PENDING_ALERT_SECONDS = env_int("OUTBOX_PENDING_ALERT_SECONDS", 900)
# Morning digest of open requests to FIRM_INTAKE_EMAILS on business days, queued by the outbox worker at this
# New York time (HH:MM, 24-hour clock); consultations/digest.py.
INTAKE_DIGEST = env_bool("INTAKE_DIGEST", True)
INTAKE_DIGEST_TIME = environment.time_of_day("INTAKE_DIGEST_TIME", "08:30")

# The outbox worker's periodic jobs (outbox/jobs.py), each owned by the app it belongs to: (function, seconds
# between runs; 0 = every loop of the worker). All of them are idempotent and safe with several workers.
SITE_JOBS_SECONDS = env_int("SITE_JOBS_SECONDS", 30)
OUTBOX_JOBS = [
    ("consultations.digest.queue_digest", 0),  # due at INTAKE_DIGEST_TIME: looked at on every loop
    ("articles.emails.queue_approval_requests", SITE_JOBS_SECONDS),
    ("articles.emails.queue_review_reminders", SITE_JOBS_SECONDS),
    ("archive.capture.run_periodic_jobs", SITE_JOBS_SECONDS),
]
# Attorney approval (articles/approval.py): an attorney may not approve a text they edited themselves, unless
# the firm has a single attorney and turns this on; each such approval says so on its record.
APPROVAL_ALLOW_SELF = env_bool("APPROVAL_ALLOW_SELF", False)
# Advertising archive (archive/capture.py): how long dated copies of the public pages are kept.
ARCHIVE_RETENTION_DAYS = env_int("ARCHIVE_RETENTION_DAYS", 1095)

# Office hours as data (articles/office_hours.py): the days and times shown on every page, and the only times
# the consultation form offers for a call back. Blank: no hours shown, the form offers "any time" only.
FIRM_OFFICE_HOURS = env("FIRM_OFFICE_HOURS", "Mon-Fri 09:00-18:00")

# Firm identity: the one place templates, emails and structured data read it from.
FIRM = {
    "name": env("FIRM_NAME", "Leav & Steinberg LLP"),
    "phone": env("FIRM_PHONE", "212-766-5222"),
    # NY Rule 7.1(h): the office's street address on every page; `check --deploy` refuses anything less.
    "address": env("FIRM_ADDRESS", "New York, NY"),
    "email": env("FIRM_EMAIL", "info@example.com"),
    # Optional wording, by language, that replaces the words generated from FIRM_OFFICE_HOURS (pages read
    # the hours in their language from articles/firm_facts.py).
    "hours_wording": {"en": env("FIRM_HOURS", ""), "es": env("FIRM_HOURS_ES", "")},
    # Empty: a map search for the address.
    "map_url": env("FIRM_MAP_URL", ""),
    # Facts the site states about the firm (articles/firm_facts.py). Whether a client pays back the case
    # expenses when nothing is recovered has no silent default: unset, `check --deploy` reports an error
    # (lawsite.E030); `make run`/`make test` and .env.example set it for development.
    "client_pays_expenses_if_no_recovery": env_bool("FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY", None),
    # Whether intake staff speak Spanish: only then do the Spanish pages say "someone who speaks Spanish will
    # call you" (off: the call may be in English with an interpreter).
    "spanish_speaking_intake": env_bool("FIRM_SPANISH_SPEAKING_INTAKE", False),
}
if not FIRM["map_url"]:
    FIRM["map_url"] = "https://www.google.com/maps/search/?" + urlencode({"api": 1, "query": FIRM["address"]})
# Compliance switches; the wording lives in articles/compliance.py.
COMPLIANCE = {
    "attorney_advertising": env_bool("COMPLIANCE_ATTORNEY_ADVERTISING", True),
    "prior_results": env_bool("COMPLIANCE_PRIOR_RESULTS", True),
    "article_notice": env_bool("COMPLIANCE_ARTICLE_NOTICE", True),
    "form_disclaimer": env_bool("COMPLIANCE_FORM_DISCLAIMER", True),
}

# Error reporting (lawsite/error_reporting.py): unhandled exceptions and ERROR log lines of the web processes
# and the outbox worker go to this Sentry (or Sentry-compatible) DSN, with no personal data. Empty: off.
SENTRY_DSN = env("SENTRY_DSN")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the request id; no line carries form input, query strings or client addresses.
    "filters": {
        "request_id": {"()": "lawsite.middleware.RequestIDLogFilter"},
        "one_line_warning": {"()": "lawsite.logfilters.OneLineWarning"},
        "expected_outage": {"()": "lawsite.logfilters.ExpectedOutage"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": sys.stdout,
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A request for a host name not in ALLOWED_HOSTS (scanners): one WARNING line, not an ERROR traceback.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
        # A 503 (PostgreSQL away) is expected and already logged once as a WARNING: not an ERROR as well.
        "django.request": {"filters": ["expected_outage"]},
    },
}

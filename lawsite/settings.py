"""Settings for lawsite: one module, driven by environment variables (see .env.example).

With DJANGO_DEBUG off (the default) the process refuses to start unless the secrets and
addresses a production site needs are set. `make run` and `make test` switch DEBUG on.
"""

import os
import sys
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
from django.utils.csp import CSP

from lawsite.database_url import database_url
from lawsite.mailers import EmailURLError, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name: str, default: str = "") -> str:
    """The variable's value; unset and empty are the same (so a blank line in .env means "default")."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name).lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    refuse(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError:
        refuse(f"{name} must be a whole number, not {value!r}.")


def refuse(message: str):
    """Stop start-up with one readable line instead of a traceback."""
    sys.exit(f"lawsite: configuration error: {message}")


DEBUG = env_bool("DJANGO_DEBUG")

if not DEBUG:
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        if not env(variable):
            refuse(f"{variable} must be set when DJANGO_DEBUG is off.")
    if len(env("DJANGO_SECRET_KEY")) < 50:
        refuse("DJANGO_SECRET_KEY must be at least 50 random characters.")

# A fixed development key is only ever used with DEBUG on.
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-insecure-key-lawsite-never-use-in-production-0123456789"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
# Absolute address of the site, for canonical links, feeds and links in emails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so translated fields are registered when the admin is built
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",  # TemplatesSetting needs Django's own form templates on the path
    "simple_history",
    "markdownx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "lawsite",
    "outbox",  # durable email delivery, at the bottom: it imports no other app of ours
    "articles",
    "consultations",
    "archive",  # the advertising archive, above the others: it captures the pages of both
]

MIDDLEWARE = [
    "lawsite.middleware.RequestIDMiddleware",
    "lawsite.middleware.LanguageFromPathMiddleware",
    # Turns "the database is unreachable" into a calm 503 page (templates/503.html) instead of a 500.
    "lawsite.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "lawsite.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "articles.page_cache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lawsite.middleware.StaffSessionIdleTimeoutMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lawsite.urls"
# Adds /__bench__/baseline, the trivial view `make bench` measures against. Off unless benchmarking.
BENCH_ENDPOINT = env_bool("DJANGO_BENCH_ENDPOINT")
# Moving the admin off /admin/ keeps it out of drive-by password guessing; always ends with "/".
ADMIN_PATH = env("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
WSGI_APPLICATION = "lawsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.firm",
            ],
        },
    },
]
# Django's own form templates through Jinja2 (the same markup, rendered far faster), the rest as configured above.
FORM_RENDERER = "lawsite.form_renderer.FormRenderer"

# Database: DATABASE_URL, or the embedded cluster's socket under var/ in development (lawsite/database_url.py).
DATABASE_URL = database_url()
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DEBUG else env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# dj-database-url leaves a Unix-socket directory (?host=/path) in OPTIONS; Django and libpq read it the same
# from HOST, where tools that rebuild a URL from the settings (tests, scripts) look for it.
# A URL without query parameters (the deploy env file's) gives no OPTIONS at all.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if not DATABASES["default"]["HOST"] and _db_options.get("host"):
    DATABASES["default"]["HOST"] = _db_options.pop("host")
# A database that does not answer must fail a request in seconds, not hang a worker until gunicorn kills it.
_db_options.setdefault("connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5))
# Server-side parameter binding with psycopg's automatic prepared statements: a query a connection has run
# DJANGO_DB_PREPARE_THRESHOLD times is parsed and planned once and then only executed. With persistent
# connections (CONN_MAX_AGE) that makes every later page cheaper: planning the article page's joins cost
# PostgreSQL several times what running them did. Off (0) behind a transaction-pooling PgBouncer older than
# 1.21 (or without max_prepared_statements), which cannot keep a statement on one server connection.
if env_bool("DJANGO_DB_PREPARED_STATEMENTS", True):
    _db_options.setdefault("server_side_binding", True)
    _db_options.setdefault("prepare_threshold", env_int("DJANGO_DB_PREPARE_THRESHOLD", 1))
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    refuse("DATABASE_URL must point at PostgreSQL (postgres://...).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is an accelerator, never a dependency (lawsite/cache.py): when it is down or slow the site serves
# from each process's local memory, logs a warning a minute, and goes back to Redis by itself.
CACHES = {
    "default": (
        {
            "BACKEND": "lawsite.cache.FailSoftRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": env("DJANGO_CACHE_KEY_PREFIX", "lawsite"),
            "OPTIONS": {"retry_seconds": env_int("DJANGO_CACHE_RETRY_SECONDS", 5)},
        }
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lawsite"}
    )
}

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


AUTHENTICATION_BACKENDS = [
    "lawsite.auth_backends.LoginThrottleBackend",  # refuses logins while a username + address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login throttling: 5 failures for one username from one address lock that pair for 30 minutes.
# Unlock early from the admin (Axes > Access attempts) or `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "consultations.client_ip.client_ip"
AXES_VERBOSE = False  # its log lines name the user and address; the database keeps the attempts

# Two-factor sign-in (TOTP) for the admin: on by default in production. Enrol a member of staff with
# `manage.py enrol_totp <username>` (prints a QR code for an authenticator app).
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env("FIRM_NAME", "Leav & Steinberg LLP")

# Staff sessions end after this much inactivity (and in any case when the browser closes).
STAFF_IDLE_TIMEOUT = timedelta(minutes=env_int("DJANGO_STAFF_IDLE_MINUTES", 60))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the site's existing addresses, Spanish under /es/. The language comes from the URL only
# (lawsite.middleware.LanguageFromPathMiddleware), never from Accept-Language or a cookie, so a cached page
# always matches its address. Catalogues: locale/<lang>/LC_MESSAGES/django.po, compiled by the Makefile.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Per-field translations of models (articles/translation.py): one column per language (name_en, name_es), read
# in the active language; an empty Spanish value falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = lambda verbose_name, language: (  # noqa: E731
    f"{verbose_name} ({'Spanish' if language == 'es' else 'English'})"
)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Request size limits: the site's forms are small. Article bodies posted to the Markdown preview are
# the largest legitimate bodies; images go through the upload view, which has its own cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# favicon.ico (and other files browsers expect at the root) are served from here by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Serve straight from static/ in development and tests (pytest-django turns DEBUG off at run time).
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
# Uploads are public (nginx serves MEDIA_ROOT at /media/ as the www-data user): files 0644 in directories
# 0755, whatever the umask of the process that saved them (the systemd units run with UMask=0027).
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# django-markdownx: the admin's live preview runs the site's own sanitising renderer, and image uploads
# are limited to ordinary photo formats (no SVG: it can carry script) under MEDIA_ROOT/articles/.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.markdownify"
MARKDOWNX_MEDIA_PATH = "articles/"
MARKDOWNX_UPLOAD_MAX_SIZE = 4 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}
MARKDOWNX_EDITOR_RESIZABLE = True

# Email: one URL, parsed into Django 6.1 MAILERS.
try:
    MAILERS = {"default": parse_email_url(env("EMAIL_URL", "console://"))}
except EmailURLError as exc:
    refuse(f"EMAIL_URL is not valid: {exc}.")
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
try:
    INTAKE_DIGEST_TIME = time.fromisoformat(env("INTAKE_DIGEST_TIME", "08:30"))
except ValueError:
    refuse(f"INTAKE_DIGEST_TIME must be a New York time like 08:30, not {env('INTAKE_DIGEST_TIME')!r}.")

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

# Security headers. No 'unsafe-inline' anywhere. Public pages have no inline script or style, so their
# policy carries no nonce at all and is the same for every reader: two anonymous GETs of a page get
# byte-identical bodies and headers, which an edge cache (deploy/nginx/lawsite.conf) may keep and share.
# A page that does use {% csp_nonce_attr %} / csp_nonce (the admin widgets' media) gets "nonce-…" added by
# Django's middleware for that response only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lawsite.views.csrf_failure"

BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
# Addresses (or networks, 10.0.0.0/24) of our own proxies. X-Forwarded-For is read only on a connection from
# one of them (consultations/client_ip.py): otherwise anyone reaching the app server directly could pick the
# address the form's rate limit and the admin lockout count. Default: none; behind the bundled nginx on the
# same machine, loopback. With remote app servers, list the nginx machine's private address.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1" if BEHIND_TLS_PROXY else "")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # /healthz is probed by the load balancer over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 63072000  # two years
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

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
    },
}

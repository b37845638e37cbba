"""The core of the settings: the environment, DEBUG and the secrets, the apps and middleware, templates, the
database and the cache, languages, static and media files (lawsite/settings/__init__.py lists the others)."""

from pathlib import Path

import dj_database_url

from lawsite.database_url import database_url
from lawsite.environment import Environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Every variable is read through this one object (lawsite/environment.py): a value it cannot read gives its
# default and is named by `manage.py check` and at the server's start (lawsite.E062), never by an exit here.
environment = Environment()
env, env_bool, env_int, env_list = environment.text, environment.flag, environment.number, environment.items
# The same list object: what the other settings modules cannot read lands here too.
ENVIRONMENT_PROBLEMS = environment.problems

DEBUG = env_bool("DJANGO_DEBUG")
# What production must set. Importing the settings never stops on them (build steps such as compilemessages
# and collectstatic run without secrets): `check --deploy` and the server's start refuse (lawsite.E060, E061).
UNSET_FOR_PRODUCTION = [
    name
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")
    if not environment.is_set(name)
]

# A fixed development key is only ever used with DEBUG on; without DEBUG and without a key, anything that
# signs (sessions, CSRF) fails, and the checks in lawsite/checks.py refuse to start.
SECRET_KEY = env("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-lawsite-never-use-in-production-0123456789" if DEBUG else ""
)
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
    # Turns "the database is unreachable" into a calm 503 page (templates/jinja2/503.html) instead of a 500.
    "lawsite.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lawsite.middleware.BodyETagMiddleware",  # Django's ConditionalGetMiddleware, a faster hash
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
    # The pages readers see (base.html, includes/, pages/, articles/, consultations/, the error pages) are
    # Jinja2, compiled to Python functions once per process: Django's template language was about half of an
    # uncached page (docs/templates.md). They live in templates/jinja2/, inside templates/ so that the
    # page cache's build id (articles/page_cache.py) and every tool that looks at templates/ sees them, in
    # their own folder so that no name is served by both engines. First, so a page name finds its Jinja2
    # template; what is not there (the admin, the emails, third-party apps) falls through to Django below.
    {
        "BACKEND": "lawsite.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "lawsite.jinja2.environment",
            # Neither auth nor messages: no public page shows the user or a message.
            "context_processors": [
                "django.template.context_processors.csp",
                "articles.context_processors.firm",
            ],
        },
    },
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
    environment.problem("DATABASE_URL must point at PostgreSQL (postgres://...).")
# Django's backend with a health check that needs no round trip while the connection is well
# (lawsite/postgresql/base.py says how it still notices a restarted server).
DATABASES["default"]["ENGINE"] = "lawsite.postgresql"
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

# The editor's plain-language meter (articles/plain_language.py): the goals an article's text is measured
# against, in the live preview and after each save. English: the Flesch–Kincaid grade, at most this; Spanish: the
# Fernández Huerta reading ease, at least this.
PLAIN_LANGUAGE_MAX_GRADE = env_int("PLAIN_LANGUAGE_MAX_GRADE", 8)
PLAIN_LANGUAGE_MIN_EASE_ES = env_int("PLAIN_LANGUAGE_MIN_EASE_ES", 70)

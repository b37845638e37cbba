import os
from pathlib import Path

import pytest

# live_server + sync Playwright run Django code from inside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fast_hasher_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Off by default: tests measure the views themselves, and test transactions never commit, so the
    # cache's version would never move. tests/test_page_cache.py switches it on with `page_cache`.
    settings.PAGE_CACHE = False
    # The morning digest depends on the wall clock; tests/consultations/test_digest.py switches it on.
    settings.INTAKE_DIGEST = False
    # Start every test from empty caches: cached synonyms or content-type ids from an earlier test
    # (transactional tests flush and renumber content types) must not leak into this one.
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    from articles.page_cache import watch

    cache.clear()
    ContentType.objects.clear_cache()
    watch.forget()  # the content version an earlier test saw may have been rolled back


@pytest.fixture(scope="session", autouse=True)
def _close_the_page_cache_listener(django_db_setup):
    """The page cache's LISTEN connection must not hold the test database open when it is dropped."""
    yield
    from articles.page_cache import watch

    watch.close()


@pytest.fixture
def page_cache(settings):
    """The whole-page cache switched on, starting empty."""
    from django.core.cache import cache

    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def watched_page(page):
    """A Playwright page that records console errors, page errors and CSP violations."""
    problems: list[str] = []
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.problems = problems
    return page


@pytest.fixture
def time_limits(db):
    """The time-limits table as the migration seeds it, every rule approved (as the demo loader does).
    Transactional tests elsewhere flush the table, so it is re-created here by the migration's own
    function, which only adds what is missing."""
    from django.apps import apps as django_apps

    from articles.approval import record_rule_approval
    from articles.migrations._time_limit_rules import seed_rules
    from articles.models import TimeLimitRule

    seed_rules(django_apps)
    for rule in TimeLimitRule.objects.filter(approved_version__isnull=True):
        record_rule_approval(
            rule, name="Test Attorney", note="approved by the test fixture", shown_hash=rule.compute_hash()
        )
    return {rule.key: rule for rule in TimeLimitRule.objects.all()}

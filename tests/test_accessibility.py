"""The accessibility gate: axe-core (shipped inside axe-playwright-python) in Debian Chromium, 0 violations.

Every public page is checked on a phone viewport in both colour schemes, since dark mode has its own
contrast. Pages that need content (articles, the form with errors, search) are added by their apps.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import ArticleFactory
from tests.helpers import assert_page_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STATIC_PAGES = ["/", "/about/", "/disclaimer/", "/privacy/", "/time-limits/", "/no-such-page/"]


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']}: {violation['help']} -> {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", STATIC_PAGES)
def test_static_pages_have_no_axe_violations(live_server, watched_page, path, scheme):
    watched_page.emulate_media(color_scheme=scheme)
    watched_page.goto(live_server.url + path)
    assert axe_violations(watched_page) == []
    if path != "/no-such-page/":  # the 404 itself is logged as a console error by Chromium
        assert_page_clean(watched_page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_pages_have_no_axe_violations(live_server, watched_page, scheme):
    article = ArticleFactory(
        body="Intro with an [external link](https://www.nycourts.gov/).\n\n## First\n\nText.\n\n"
        "### Detail\n\n- one\n- two\n\n## Second\n\n> A quote.\n\n## Third\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    ArticleFactory.create_batch(3, practice_area=article.practice_area)
    watched_page.emulate_media(color_scheme=scheme)
    for path in (
        article.get_absolute_url(),
        "/articles/",
        f"/articles/?area={article.practice_area.slug}",
        "/practice-areas/",
        article.practice_area.get_absolute_url(),
        "/search/?q=first",  # results with highlighted snippets
        "/search/?q=zzzqqq",  # no results: practice areas, fallback articles, call to action
    ):
        watched_page.goto(live_server.url + path)
        assert axe_violations(watched_page) == [], path
    assert_page_clean(watched_page)


FOCUS_ORDER = [
    "Skip to main content",
    "Leav & Steinberg LLP",
    "Call us: 212-766-5222",
    "Free consultation",
    "Articles",
    "Practice areas",
    "Deadlines",
    "About",
    "Español",
    "Search articles",
    "Search",
]


def test_keyboard_focus_is_visible_and_follows_the_page_order(live_server, watched_page):
    page = watched_page
    page.goto(live_server.url + "/about/")
    seen = []
    for _ in FOCUS_ORDER:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent)
                    || el.textContent || el.value;
                return {
                    label: label.replace(/\\s+/g, ' ').trim(),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                };
            }"""
        )
        assert focused["outline"], f"no visible focus indicator on {focused['label']!r}"
        seen.append(focused["label"])
    assert seen == FOCUS_ORDER

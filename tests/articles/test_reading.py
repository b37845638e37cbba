"""Reading an article on a phone or a laptop: a way to call at every scroll position, the contents and a call
box beside the text on wide screens, and a calm breadcrumb and byline."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory
from tests.helpers import assert_page_clean
from tests.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_BODY = (
    "\n\n".join(
        f"## Part {n}\n\n" + " ".join(["Plain words about what happens next and what to keep."] * 40)
        for n in range(1, 9)
    )
    + "\n\nCall us on 212-766-5222 if anything here applies to you."
)


@pytest.fixture
def long_article():
    return ArticleFactory(
        title="When a hospital gives the wrong medicine and you are hurt in New York City",
        slug="wrong-medicine",
        body=LONG_BODY,
    )


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.problems = []
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    yield page
    context.close()


def visible_in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 0.5


def test_on_a_phone_the_call_bar_is_reachable_at_every_scroll_position(
    live_server, watched_page, long_article, artifacts
):
    page = watched_page
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + long_article.get_absolute_url())
    bar = page.get_by_role("navigation", name="Call or ask for a consultation")
    call = bar.get_by_role("link", name="Call us 212-766-5222")
    consult = bar.get_by_role("link", name="Free consultation")
    expect(call).to_have_attribute("href", "tel:+12127665222")
    expect(consult).to_have_attribute("href", "/consultation/?article=wrong-medicine")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 5 * 844  # a long read
    for y in range(0, height, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
        assert visible_in_viewport(page, call) and visible_in_viewport(page, consult), y

    # At the very end the whole footer shows above the bar, uncovered.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer_bottom = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.site-footer *')].map(e => e.getBoundingClientRect().bottom))"
    )
    assert footer_bottom <= bar.bounding_box()["y"] + 0.5
    page.screenshot(path=artifacts / "article-end-phone.png")
    # The bar does not move anything: it is there from the first paint, with no animation.
    assert page.evaluate("getComputedStyle(document.querySelector('.call-bar')).transitionDuration") == "0s"
    # Phone numbers in the text are links, and keyboard users reach the bar.
    expect(page.locator(".article__body a[href='tel:+12127665222']")).to_have_text("212-766-5222")
    consult.focus()
    expect(consult).to_be_focused()
    assert axe_violations(page) == []
    assert_page_clean(page)


def test_the_phone_breadcrumb_stays_on_one_line(live_server, watched_page, long_article):
    page = watched_page
    page.goto(live_server.url + long_article.get_absolute_url())
    crumbs = page.locator(".breadcrumbs li")
    tops = {round(crumbs.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, tops
    # The current page is still announced (it is the <h1> too).
    expect(page.get_by_role("link", name=long_article.title).first).to_have_attribute("aria-current", "page")


def test_on_a_laptop_the_contents_and_a_call_box_sit_beside_a_readable_column(
    live_server, laptop, long_article, artifacts
):
    page = laptop
    page.goto(live_server.url + long_article.get_absolute_url())
    expect(page.locator(".call-bar")).to_be_hidden()
    body = page.locator(".article__body")
    aside = page.locator(".article__aside")
    toc = aside.get_by_role("navigation", name="On this page")
    box = aside.get_by_role("region", name="Talk to a lawyer for free")
    expect(toc).to_be_visible()
    expect(box).to_be_visible()
    body_box, aside_box = body.bounding_box(), aside.bounding_box()
    assert aside_box["x"] >= body_box["x"] + body_box["width"]  # beside, not below
    # About 65-75 characters a line.
    chars = page.evaluate(
        """() => { const p = document.querySelector('.article__body p');
        const range = document.createRange(); const text = p.firstChild; let first = null, n = 0;
        for (let i = 0; i < text.length; i++) { range.setStart(text, i); range.setEnd(text, i + 1);
          const top = Math.round(range.getBoundingClientRect().top); if (first === null) first = top;
          if (top !== first) break; n++; } return n; }"""
    )
    assert 60 <= chars <= 80, chars
    # The side column stays in view while reading.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert visible_in_viewport(page, box.get_by_role("link", name="Call 212-766-5222"))
    page.screenshot(path=artifacts / "article-middle-laptop.png")
    assert axe_violations(page) == []
    assert_page_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_profile_and_team_pages_have_no_axe_violations(
    live_server, watched_page, laptop, long_article, scheme, artifacts
):
    author = long_article.author
    for page, screen in ((watched_page, "phone"), (laptop, "laptop")):
        page.emulate_media(color_scheme=scheme)
        for path in (author.get_absolute_url(), "/about/"):
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], (screen, path)
        expect(page.get_by_role("link", name=author.name).first).to_be_visible()
        page.screenshot(path=artifacts / f"about-{screen}-{scheme}.png", full_page=True)
        assert_page_clean(page)

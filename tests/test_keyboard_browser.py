"""Keyboard and screen-reader users, in Chromium: the fixed call bar never hides the focused element (at 390 px
and at 400 % zoom, in both languages), the focus ring stands out on the navy header and on the orange button,
text-spacing overrides do not push the header's button off screen, and form errors are easy to find."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/about/", "/people/", "/articles/", "/es/", "/es/nosotros/", "/es/equipo/", "/es/articulos/"]
# 1366 x 768 at 400 % zoom lays the page out in 341 x 192 CSS pixels.
ZOOM_400 = {"viewport": {"width": 341, "height": 192}, "device_scale_factor": 4}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}

FOCUSED_AND_BAR = """() => {
  const el = document.activeElement;
  const bar = document.querySelector('.call-bar');
  if (!el || el === document.body || !bar || bar.contains(el)) return null;
  const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height, 40) / 2, 0), innerHeight - 1);
  const onTop = document.elementFromPoint(x, y);
  return {name: (el.innerText || el.getAttribute('aria-label') || el.id || el.tagName).trim().slice(0, 40),
          top: r.top, bottom: r.bottom, barTop: b.top, underBar: !!onTop && bar.contains(onTop)};
}"""


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = (luminance(tuple(int(n) for n in re.findall(r"\d+", color)[:3])) for color in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.fixture
def content():
    ArticleFactory.create_batch(2)
    ArticleFactory.create_batch(2, language="es")
    PersonFactory(name="Elena Marsh", slug="elena-marsh")


@pytest.mark.parametrize("screen", ["phone", "zoom-400"])
def test_no_focus_stop_is_hidden_under_the_call_bar(live_server, browser, content, screen):
    # Reduced motion: the page scrolls to the focused element at once (no smooth-scroll animation to wait for).
    context = browser.new_context(reduced_motion="reduce", **(PHONE if screen == "phone" else ZOOM_400))
    page = context.new_page()
    covered = []
    for path in PAGES:
        page.goto(live_server.url + path)
        stops = 0
        for _ in range(80):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUSED_AND_BAR)
            if state is None:
                if page.evaluate("document.activeElement === document.body"):
                    break  # wrapped round to the browser's own controls
                continue
            stops += 1
            if state["underBar"] or state["top"] >= state["barTop"]:
                covered.append(f"{path}: {state['name']!r} {state}")
        assert stops > 10, path
    context.close()
    assert covered == []


def test_focus_ring_contrasts_with_the_navy_header_and_the_orange_button(live_server, page):
    page.goto(live_server.url + "/")
    button = page.locator(".site-header__cta")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    expect(button).to_be_focused()
    styles = button.evaluate(
        """el => ({ring: getComputedStyle(el).outlineColor, width: parseFloat(getComputedStyle(el).outlineWidth),
                  header: getComputedStyle(el.closest('.site-header')).backgroundColor})"""
    )
    assert styles["width"] >= 2
    assert contrast(styles["ring"], styles["header"]) >= 3
    assert (
        contrast(styles["ring"], "rgb(163, 66, 11)") >= 3
    )  # the orange of the primary button (--color-action)
    page.set_viewport_size({"width": 1366, "height": 800})  # there the header's button is orange
    button.focus()
    background = button.evaluate("el => getComputedStyle(el).backgroundColor")
    ring = button.evaluate("el => getComputedStyle(el).outlineColor")
    assert background == "rgb(163, 66, 11)" and contrast(ring, background) >= 3


TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.mark.parametrize("path", ["/", "/es/"])
def test_text_spacing_overrides_do_not_push_the_header_button_off_screen(
    live_server, browser, path, artifacts
):
    page = browser.new_context(
        bypass_csp=True, **PHONE
    ).new_page()  # the bookmarklet's style, as a reader adds it
    page.goto(live_server.url + path)
    page.add_style_tag(content=TEXT_SPACING)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.site-header a, .site-header button, .call-bar a')]
            .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > innerWidth + 1)
            .map(el => el.innerText)"""
    )
    page.screenshot(path=artifacts / f"text-spacing{path.replace('/', '-')}390.png")
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_call_bar_puts_a_space_between_call_us_and_the_number(live_server, page):
    page.set_viewport_size({"width": 600, "height": 800})
    page.goto(live_server.url + "/")
    gap = page.locator(".call-bar__link--call").evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el.firstChild);
                 return el.querySelector('.call-bar__number').getBoundingClientRect().left
                        - range.getBoundingClientRect().right; }"""
    )
    assert gap >= 3


def test_phone_screen_shows_one_primary_action_and_no_covered_call_button(live_server, page, artifacts):
    page.goto(live_server.url + "/")
    page.screenshot(path=artifacts / "home-first-screen-390.png")
    primaries = page.evaluate(
        """() => [...document.querySelectorAll('a, button')].filter(el => {
              const r = el.getBoundingClientRect(), s = getComputedStyle(el);
              return r.width && r.bottom > 0 && r.top < innerHeight && s.visibility !== 'hidden'
                     && s.backgroundColor === 'rgb(163, 66, 11)'; }).map(el => el.innerText)"""
    )
    assert primaries == ["Free consultation"]
    hidden_calls = page.evaluate(
        """() => { const bar = document.querySelector('.call-bar');
            return [...document.querySelectorAll('a[href^="tel:"]')].filter(el => {
              if (bar.contains(el)) return false;
              const r = el.getBoundingClientRect();
              if (!r.width || r.top > innerHeight || r.bottom < 0) return false;
              const top = document.elementFromPoint(r.left + r.width / 2, Math.min(r.top + r.height / 2, innerHeight - 1));
              return top && bar.contains(top); }).map(el => el.innerText); }"""
    )
    assert hidden_calls == []


@pytest.mark.parametrize("path", ["/consultation/", "/es/consulta/"])
def test_form_errors_show_a_red_border_and_the_summary_link_keeps_the_label_in_view(
    live_server, page, path, artifacts
):
    page.goto(live_server.url + path)
    page.locator(".consultation-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    for field in ("#id_name", "#id_phone"):
        border = page.locator(field).evaluate("el => getComputedStyle(el).borderTopColor")
        assert border == "rgb(185, 28, 28)", field  # --color-error
    summary.locator("a[href='#id_name']").click()
    expect(page.locator("#id_name")).to_be_focused()
    label_top = page.locator("label[for=id_name]").evaluate("el => el.getBoundingClientRect().top")
    assert label_top >= 0
    page.screenshot(path=artifacts / f"form-errors{path.replace('/', '-')}390.png")

""" "How long do I have?" in Debian Chromium: a phone (390 px) and a laptop (1366 px), no JavaScript needed,
nothing cut off, axe-core clean in English and Spanish, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import assert_page_clean
from tests.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}], ids=["phone", "laptop"]
)
def test_a_reader_answers_three_questions_and_sees_the_earliest_deadline(
    live_server, browser, time_limits, artifacts, viewport
):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Deadlines").first.click()  # from the header
    expect(page.get_by_role("heading", level=1)).to_have_text("How long do I have?")
    page.get_by_role("radio", name=re.compile("^A fall")).check()
    page.get_by_role("radio", name=re.compile("^A city, county")).check()
    page.get_by_label("When did it happen?").fill("2026-11-02")
    page.get_by_role("button", name="Show the deadlines").click()

    # A plain GET: the answer has its own address, which can be bookmarked.
    assert re.search(r"/time-limits/\?what=fall&who=city&date=2026-11-02", page.url)
    answer = page.locator("#answer")
    expect(answer).to_contain_text(
        "Until a lawyer agrees in writing to represent you, this deadline is yours."
    )
    first = answer.locator(".time-limit-item").first
    expect(first.locator(".time-limit-item__name")).to_have_text("Notice of claim")
    expect(first).to_contain_text("May be due as early as January 31, 2027")
    expect(first).to_contain_text("General Municipal Law § 50-e")
    expect(answer.get_by_role("link", name=re.compile("^Call "))).to_be_visible()
    expect(answer.get_by_role("link", name="Request a free consultation")).to_be_visible()
    page.screenshot(path=artifacts / f"time-limits-{viewport['width']}.png", full_page=True)
    widths = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert widths[0] <= widths[1], widths  # nothing wider than the screen
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_and_its_answers_have_no_axe_violations(live_server, watched_page, time_limits, scheme):
    watched_page.emulate_media(color_scheme=scheme)
    for path in (
        "/time-limits/",
        "/time-limits/?what=car&who=unsure&date=2026-06-01&minor=1&died=1",
        "/time-limits/?what=medical&who=private",
        "/time-limits/?what=flood&date=2026-13-40",  # the form with its mistakes explained
        "/es/plazos/?what=fall&who=city&date=2026-11-02",
    ):
        watched_page.goto(live_server.url + path)
        assert axe_violations(watched_page) == [], path
    assert_page_clean(watched_page)

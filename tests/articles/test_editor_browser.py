"""The editor in Chromium: the article list on a 1366 px laptop, and writing on a phone with the preview below."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-editor-123456"
SIDEWAYS = """() => {
    const doc = document.scrollingElement, results = document.querySelector('#changelist .results');
    return {document: [doc.scrollWidth, doc.clientWidth], results: [results.scrollWidth, results.clientWidth]};
}"""


def sign_in(browser, live_server, editor, **context):
    editor.set_password(PASSWORD)
    editor.save()
    desk = browser.new_context(**context)
    page = desk.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    return desk, page


@pytest.mark.parametrize("width", [1280, 1366, 1440])
def test_the_article_list_fits_a_laptop_with_readable_titles(live_server, browser, editor, artifacts, width):
    long_title = (
        "¿Cuánto tiempo tiene para demandar por negligencia médica en Nueva York si el hospital es público?"
    )
    ArticleFactory(title=long_title, language="es")
    ArticleFactory.draft(title="A draft about scaffold falls")
    ArticleFactory(
        title="Waiting for an attorney", approved=False, published_at=timezone.now() - timedelta(days=1)
    )
    ArticleFactory.scheduled(title="Coming next week")
    desk, page = sign_in(browser, live_server, editor, viewport={"width": width, "height": 900})
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    page.screenshot(path=artifacts / f"editor-list-{width}.png", full_page=True)

    widths = page.evaluate(SIDEWAYS)
    assert widths["document"][0] <= widths["document"][1], widths
    assert widths["results"][0] <= widths["results"][1], widths  # no column cut off inside the list
    title = page.locator("#result_list .field-title", has_text="Cuánto tiempo").bounding_box()
    assert title["width"] >= 250  # readable, not squeezed to a word per line
    for header in ("TITLE", "STATE", "APPROVAL", "LANGUAGE", "REVIEWED BY", "PUBLISHED"):
        expect(page.locator("#result_list thead")).to_contain_text(header, ignore_case=True)
    row = page.locator("#result_list tbody tr", has_text="Waiting for an attorney")
    expect(row.locator(".field-state")).to_have_text("Awaiting approval")  # past its time, never approved
    expect(
        page.locator("#result_list tbody tr", has_text="Coming next week").locator(".field-state")
    ).to_have_text("Scheduled")
    assert page.problems == []
    desk.close()


def test_the_editor_works_on_a_phone_with_the_preview_below_the_text(live_server, browser, editor, artifacts):
    article = ArticleFactory(approved=False, title="Slip and fall: first steps")
    desk, page = sign_in(
        browser, live_server, editor, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    body = page.locator("textarea#id_body")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2").first).to_have_text("First part")  # the preview of the saved text, on load
    body.fill("Take photos of the place.\n\n## Get care\n\nThe statute of limitations can end your case")
    body.press_sequentially(".")
    expect(preview.locator("h2", has_text="Get care")).to_be_visible(timeout=15_000)
    expect(preview.locator(".editor-check")).to_contain_text(
        "Review pending — not public until an attorney approves."
    )
    expect(preview.locator(".editor-check")).to_contain_text("Reading level (Flesch–Kincaid): grade")
    expect(preview.locator(".editor-check")).to_contain_text("statute of limitations")
    source, rendered = body.bounding_box(), preview.bounding_box()
    assert rendered["y"] >= source["y"] + source["height"] - 1  # below the text, not beside it
    assert rendered["x"] >= 0 and rendered["x"] + rendered["width"] <= 390  # not cut off at the right
    preview.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "editor-phone.png", full_page=True)
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert page.problems == []
    desk.close()

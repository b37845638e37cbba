import re

import pytest
from playwright.sync_api import expect

from consultations.models import ConsultationRequest
from tests.consultations.conftest import medical_malpractice
from tests.helpers import assert_page_clean
from tests.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_fill_timer(settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0  # the browser is faster than a person


def test_phone_visitor_fixes_a_mistake_and_lands_on_thanks(live_server, watched_page, artifacts):
    medical_malpractice()  # the form offers the firm's practice areas from the database
    page = watched_page
    page.goto(live_server.url + "/consultation/?article=what-counts-as-malpractice")
    page.get_by_label("Your name").fill("Dana Rivers")
    page.get_by_label("Phone number").fill("555-01")  # too short: the mistake
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_label("What is it about?").select_option(label="Medical malpractice")
    page.get_by_label("What happened?").fill("My fracture was missed in the emergency room.")
    page.get_by_label("I have read the notice above and understand it").check()
    page.get_by_role("button", name="Send my request").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # announced first, without JavaScript (autofocus)
    expect(page).to_have_title(re.compile(r"^Error: "))
    field_error = page.locator("#id_phone_error")
    expect(field_error).to_contain_text("area code")
    expect(page.get_by_label("Phone number")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your name")).to_have_value("Dana Rivers")
    page.screenshot(path=artifacts / "consultation-error-phone.png", full_page=True)
    assert axe_violations(page) == []

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Phone number")).to_be_focused()
    page.get_by_label("Phone number").fill("212-555-0188")
    page.get_by_label("I have read the notice above and understand it").check()
    page.get_by_role("button", name="Send my request").click()

    expect(page).to_have_url(live_server.url + "/consultation/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    page.screenshot(path=artifacts / "consultation-thanks-phone.png", full_page=True)
    assert_page_clean(page)
    consultation = ConsultationRequest.objects.get()
    assert consultation.status == "new" and consultation.source_article_slug == "what-counts-as-malpractice"


def tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        assert focused != "id_website", "the honeypot must not be reachable by keyboard"
        if focused == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with Tab")


def test_keyboard_only_completion(live_server, watched_page):
    page = watched_page
    page.goto(live_server.url + "/consultation/")
    tab_to(page, "id_name")
    page.keyboard.type("Chris Lee")
    tab_to(page, "id_phone")
    page.keyboard.type("917-555-0123")
    tab_to(page, "id_email")
    page.keyboard.type("chris@example.org")
    tab_to(page, "id_practice_area")
    page.keyboard.press("ArrowDown")
    tab_to(page, "id_what_happened")
    page.keyboard.type("I slipped on an icy sidewalk outside a store.")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send my request"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/consultation/thanks/")
    assert ConsultationRequest.objects.get().name == "Chris Lee"
    assert_page_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_form_and_thanks_have_no_axe_violations(live_server, watched_page, scheme):
    watched_page.emulate_media(color_scheme=scheme)
    for path in ("/consultation/", "/consultation/thanks/"):
        watched_page.goto(live_server.url + path)
        assert axe_violations(watched_page) == [], path
    assert_page_clean(watched_page)

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
    page.get_by_role("radio", name=re.compile("^Medical care")).check()
    page.get_by_role("radio", name=re.compile("^A private person")).check()
    page.get_by_label("Tell us briefly what happened").fill("My fracture was missed in the emergency room.")
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

    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/consultation/thanks/?r=")))
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
    tab_to(page, "id_what_0")
    page.keyboard.press("Space")
    tab_to(page, "id_who_0")
    page.keyboard.press("Space")
    tab_to(page, "id_what_happened")
    page.keyboard.type("I slipped on an icy sidewalk outside a store.")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send my request"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/consultation/thanks/?r=")))
    assert ConsultationRequest.objects.get().name == "Chris Lee"
    assert_page_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_form_and_thanks_have_no_axe_violations(live_server, watched_page, scheme):
    watched_page.emulate_media(color_scheme=scheme)
    for path in ("/consultation/", "/consultation/thanks/"):
        watched_page.goto(live_server.url + path)
        assert axe_violations(watched_page) == [], path
    assert_page_clean(watched_page)


@pytest.fixture(params=["phone", "desktop"])
def any_screen(request, browser, watched_page):
    """The watched phone page (390 px), or a watched laptop page (1366 px)."""
    if request.param == "phone":
        yield request.param, watched_page
        return
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
    yield request.param, page
    context.close()


def test_a_caller_with_no_email_sends_the_form_and_gets_a_request_number(live_server, any_screen, artifacts):
    screen, page = any_screen
    medical_malpractice()
    page.goto(live_server.url + "/consultation/")
    page.get_by_label("Your name").fill("Ruth Okafor")
    page.get_by_role("radio", name="Phone call").check()
    page.get_by_label("Phone number").fill("718-555-0190")
    page.get_by_role("radio", name=re.compile("^Medical care")).check()
    page.get_by_role("radio", name="I am not sure").check()
    page.get_by_label("Tell us briefly what happened").fill(
        "My mother's fall in a nursing home was not reported to us."
    )
    page.get_by_label("I have read the notice above and understand it").check()
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    consultation = ConsultationRequest.objects.get()
    assert consultation.email == "" and consultation.status == "new"
    assert list(consultation.emails.values_list("kind", flat=True)) == ["firm"]
    expect(page.locator(".receipt__number")).to_have_text(consultation.number)
    expect(page.get_by_text("You did not give an email address")).to_be_visible()
    expect(page.get_by_text("confidential details")).to_have_count(0)
    page.screenshot(path=artifacts / f"consultation-thanks-no-email-{screen}.png", full_page=True)
    assert axe_violations(page) == []
    assert_page_clean(page)


def test_errors_are_summarised_once_each_and_link_to_their_fields(live_server, any_screen, artifacts):
    screen, page = any_screen
    medical_malpractice()
    page.goto(live_server.url + "/consultation/")
    page.get_by_role("radio", name="Email", exact=True).check()
    page.get_by_role("button", name="Send my request").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    texts = links.all_inner_texts()
    assert len(texts) == len(set(texts)) >= 4, texts
    assert all(":" not in text.rstrip(".") for text in texts), texts
    assert (
        "Please give an email address for us to write to, or choose “Phone call” as the way to reach you."
        in texts
    )
    assert "Please tell us your name." in texts
    # Each field says whether it is needed, before anyone makes a mistake.
    expect(page.locator("label[for=id_phone]")).to_contain_text("(needed for a phone call)")
    expect(page.locator("label[for=id_incident_date]")).to_contain_text("(optional)")
    aside, form = (
        page.locator(".consultation-aside").bounding_box(),
        page.locator(".consultation").bounding_box(),
    )
    if screen == "desktop":  # the way to call and what happens next sit beside the form
        assert aside["x"] >= form["x"] + form["width"] and aside["y"] < form["y"] + 400
    else:  # after the form, never before it
        assert aside["y"] >= form["y"] + form["height"]
    page.screenshot(path=artifacts / f"consultation-errors-{screen}.png", full_page=True)
    assert axe_violations(page) == []

    summary.get_by_role("link", name="Please give an email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_page_clean(page)

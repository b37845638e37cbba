"""In Chromium, on a phone and a laptop: a visitor types half the form, switches to Spanish and back, and keeps
every answer; no address the browser ever asks for carries one of them."""

import pytest
from playwright.sync_api import expect

from tests.factories import PracticeAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRETS = ("Maria", "Alvarez", "555-0147", "maria@example.org", "infection")


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}], ids=["phone", "laptop"]
)
def test_switching_language_on_the_form_keeps_the_answers_and_puts_none_in_an_address(
    live_server, browser, artifacts, viewport
):
    PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice")
    mobile = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    addresses, problems = [], []
    page.on("request", lambda request: addresses.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))

    page.goto(live_server.url + "/consultation/")
    page.fill("#id_name", "Maria Alvarez")
    page.get_by_label("Email", exact=True).check()
    page.fill("#id_phone", "212-555-0147")
    page.fill("#id_email", "maria@example.org")
    page.fill("#id_what_happened", "The clinic missed an infection after my knee surgery.")
    page.locator('input[name="what"][value="medical"]').check()

    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(live_server.url + "/es/consulta/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#id_name")).to_have_value("Maria Alvarez")
    expect(page.locator("#id_email")).to_have_value("maria@example.org")
    expect(page.locator("#id_what_happened")).to_have_value(
        "The clinic missed an infection after my knee surgery."
    )
    expect(page.locator('input[name="contact_method"][value="email"]')).to_be_checked()
    expect(page.locator('input[name="what"][value="medical"]')).to_be_checked()
    page.screenshot(path=artifacts / f"form-switched-to-spanish-{viewport['width']}.png", full_page=True)

    page.fill("#id_name", "Maria Alvarez Ruiz")  # typed on the Spanish form, kept going back
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/consultation/")
    expect(page.locator("#id_name")).to_have_value("Maria Alvarez Ruiz")
    expect(page.locator("#id_phone")).to_have_value("212-555-0147")

    assert addresses, "no request was seen"
    for address in addresses:
        assert all(secret not in address for secret in SECRETS), address
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert problems == []
    context.close()

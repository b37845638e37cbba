"""The triage list as intake sees it in Chromium: a 1366 px laptop and a phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-intake-123456"

NO_SIDEWAYS_SCROLL = """() => {
    const doc = document.scrollingElement;
    const results = document.querySelector('#changelist .results');
    return {
        document: [doc.scrollWidth, doc.clientWidth],
        results: [results.scrollWidth, results.clientWidth],
    };
}"""


def fill_the_list():
    today = timezone.localdate()
    medical = PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice")
    injury = PracticeAreaFactory(slug="personal-injury", name="Personal injury")
    public = PracticeAreaFactory(slug="claims-against-public-bodies", name="Claims against public bodies")
    now = timezone.now()
    rows = [
        # Long names and labels on purpose: they must wrap, not widen the page.
        (
            "Maria Fernanda Alvarez-Rodriguez de la Cruz",
            medical,
            today - timedelta(days=700),
            "medical",
            "private",
            3,
        ),
        ("Sam Okafor", public, today - timedelta(days=75), "fall", "city", 30),
        ("Dana Rivers", injury, None, "fall", "unsure", 2),
        ("Li Wei", None, today - timedelta(days=1000), "", "private", 100),
        ("Jordan Blake", injury, today - timedelta(days=10), "work", "private", 1),
    ]
    made = {}
    for name, area, incident, what, who, hours in rows:
        made[name] = ConsultationRequestFactory(
            name=name,
            practice_area=area,
            incident_date=incident,
            what=what,
            who=who,
            received_at=now - timedelta(hours=hours),
            phone="(212) 555-0147 ext. 1234",
        )
    ConsultationRequestFactory(name="Spammy Sender", status="spam", spam_reason="honeypot")
    return made


def sign_in(browser, live_server, user, **context):
    desk = browser.new_context(**context)
    page = desk.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:consultations_consultationrequest_changelist"))
    return desk, page


@pytest.mark.parametrize("width", [1280, 1366, 1440])
def test_the_triage_list_fits_a_laptop_without_sideways_scrolling_most_urgent_first(
    live_server, browser, intake_user, artifacts, width
):
    intake_user.set_password(PASSWORD)
    intake_user.save()
    fill_the_list()
    desk, page = sign_in(browser, live_server, intake_user, viewport={"width": width, "height": 900})

    page.screenshot(path=artifacts / f"triage-list-{width}.png", full_page=True)
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".field-name_cell")).to_have_text("Sam Okafor")  # notice of claim in 15 days
    expect(first_row.locator(".urgency--critical")).to_contain_text("Notice of claim: 15 days left (est.)")
    expect(first_row.locator(".field-phone_link a")).to_have_attribute("href", "tel:2125550147,1234")
    expect(page.locator("#result_list")).not_to_contain_text(
        "Spammy Sender"
    )  # spam is out of the default view
    expect(page.locator("#result_list")).to_contain_text("Ask the date")
    headers = page.locator("#result_list thead th").all_inner_texts()
    expect(first_row.locator(".field-email_link a")).to_have_attribute("href", "mailto:sam@example.org")
    for column in ("REF.", "AGE", "NAME", "PHONE", "EMAIL", "BEST TIME", "STATUS", "ASSIGNEE", "URGENCY"):
        assert any(column in header.upper() for header in headers), (column, headers)

    widths = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert widths["document"][0] <= widths["document"][1], widths
    assert widths["results"][0] <= widths["results"][1], widths  # nothing cut off inside the list either
    # Coloured: the critical cell's background is not the page's.
    background = first_row.locator(".urgency").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}
    assert page.problems == []
    desk.close()


def test_the_triage_list_is_usable_on_a_phone(live_server, browser, intake_user, artifacts):
    intake_user.set_password(PASSWORD)
    intake_user.save()
    fill_the_list()
    phone, page = sign_in(
        browser,
        live_server,
        intake_user,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page.screenshot(path=artifacts / "triage-list-phone.png", full_page=True)
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.locator(".field-phone_link a")).to_be_visible()
    expect(first_row.locator(".urgency")).to_be_visible()
    expect(first_row.locator(".field-best_time_short")).to_be_hidden()  # on the request page instead
    widths = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert widths["document"][0] <= widths["document"][1], widths
    assert page.problems == []
    phone.close()


def test_filters_mine_unassigned_and_all(live_server, browser, intake_user, django_user_model):
    intake_user.set_password(PASSWORD)
    intake_user.save()
    made = fill_the_list()
    other = django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    made["Sam Okafor"].assignee = intake_user
    made["Sam Okafor"].save()
    made["Li Wei"].assignee = other
    made["Li Wei"].save()
    desk, page = sign_in(browser, live_server, intake_user, viewport={"width": 1366, "height": 900})
    page.get_by_role("link", name="Mine", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Sam Okafor")
    page.get_by_role("link", name="Unassigned", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    page.get_by_role("link", name="All, with closed and spam").click()
    expect(page.locator("#result_list")).to_contain_text("Spammy Sender")
    desk.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["laptop", "phone"]
)
def test_the_request_page_shows_the_deadline_estimates_and_a_clean_note_box(
    live_server, browser, intake_user, artifacts, viewport
):
    from consultations.models import InternalNote
    from outbox.models import OutboundEmail

    intake_user.set_password(PASSWORD)
    intake_user.save()
    made = fill_the_list()
    sam = made["Sam Okafor"]
    InternalNote.objects.create(consultation=sam, author=intake_user, text="Left a voicemail.")
    OutboundEmail.objects.create(source=sam, kind="firm", state="sent", sent_at=timezone.now())
    desk, page = sign_in(browser, live_server, intake_user, viewport=viewport)
    page.goto(live_server.url + reverse("admin:consultations_consultationrequest_change", args=[sam.pk]))
    page.screenshot(path=artifacts / f"triage-request-{viewport['width']}.png", full_page=True)
    estimates = page.locator(".field-urgency_detail")
    expect(estimates).to_contain_text("Notice of claim: 15 days left (est.)")
    expect(estimates).to_contain_text("General Municipal Law § 50-i")
    expect(estimates).to_contain_text("estimate for a lawyer to confirm")
    expect(page.locator("#notes-0 .field-written_by")).to_have_text("ida")
    for cell in ("#notes-0 .field-written_at", "#emails-0 .field-sent"):
        box = page.locator(cell).bounding_box()
        assert box["x"] + box["width"] <= viewport["width"], cell  # not cut off at the right
    expect(page.locator("#notes-1 .field-written_at")).to_have_text("")  # the empty box for a new note
    expect(page.locator("#emails-group")).to_contain_text("New request, to the firm", use_inner_text=True)
    assert page.locator("#emails-group").inner_text().count("New request, to the firm") == 1
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert page.problems == []
    desk.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["laptop", "phone"]
)
def test_assign_to_me_is_one_click_from_the_list_and_the_email_only_visitor_is_not_flagged(
    live_server, browser, intake_user, artifacts, viewport
):
    intake_user.first_name, intake_user.last_name = "Ida", "Moreno"
    intake_user.set_password(PASSWORD)
    intake_user.save()
    made = fill_the_list()
    email_only = ConsultationRequestFactory(
        name="Erin Email", phone="", email="erin.long.address@example.org", contact_method="email"
    )
    desk, page = sign_in(browser, live_server, intake_user, viewport=viewport)
    row = page.locator("#result_list tbody tr", has_text="Erin Email")
    expect(row.locator(".field-email_link a")).to_have_attribute(
        "href", "mailto:erin.long.address@example.org"
    )
    expect(row.locator(".field-email_link a")).to_be_visible()
    page.screenshot(path=artifacts / f"triage-list-assign-{viewport['width']}.png", full_page=True)
    row.get_by_role("button", name="Assign to me").click()  # one click, no action menu
    expect(page.locator(".messagelist")).to_contain_text(f"{email_only.number} is assigned to you.")
    expect(
        page.locator("#result_list tbody tr", has_text="Erin Email").locator(".field-assignee_cell")
    ).to_have_text("Ida Moreno")
    email_only.refresh_from_db()
    assert email_only.assignee == intake_user and not email_only.is_missing_callback
    assert made["Sam Okafor"].assignee is None
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    assert page.problems == []
    desk.close()

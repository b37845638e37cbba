import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultations.business_days import one_business_day_before
from consultations.models import ConsultationRequest, InternalNote
from outbox.models import OutboundEmail
from outbox.worker import drain
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def make_request(**fields) -> ConsultationRequest:
    # A narrative in other_parties that a spreadsheet would run as a formula (see the CSV test).
    return ConsultationRequestFactory(**{"other_parties": '=HYPERLINK("http://evil")', **fields})


def changelist():
    return reverse("admin:consultations_consultationrequest_changelist")


def change(consultation):
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def test_anonymous_visitors_are_sent_to_the_login(client):
    consultation = make_request()
    for url in (changelist(), change(consultation), reverse("admin:outbox_outboundemail_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_editors_cannot_see_requests(client, editor_user):
    consultation = make_request()
    client.force_login(editor_user)
    for url in (changelist(), change(consultation), reverse("admin:outbox_outboundemail_changelist")):
        assert client.get(url).status_code in {403, 404}
    html = client.get(reverse("admin:index")).content.decode()
    assert "Consultation requests" not in html and "Sam Okafor" not in html


def test_intake_group_holds_the_triage_permissions(intake_group):
    permissions = set(intake_group.permissions.values_list("codename", flat=True))
    assert {
        "view_consultationrequest",
        "change_consultationrequest",
        "export_consultationrequest",
    } <= permissions
    assert "delete_consultationrequest" not in permissions


def test_intake_can_list_search_and_filter(client, intake_user, django_assert_max_num_queries):
    first = make_request(who="city")
    for i in range(10):
        make_request(name="Other Person", email=f"o{i}@example.org", who="private")
    client.force_login(intake_user)
    # Fixed cost whatever the number of rows (no query per row).
    with django_assert_max_num_queries(15):
        response = client.get(changelist())
    html = response.content.decode()
    assert response.status_code == 200
    assert first.number in html and "short deadline" in html
    assert "Fell on a broken step" not in html  # the list never shows the narrative
    assert "Other Person" not in client.get(changelist(), {"q": first.number}).content.decode()
    assert (
        "Other Person"
        not in client.get(changelist(), {"is_notice_of_claim_risk__exact": "1"}).content.decode()
    )
    assert "Sam Okafor" in client.get(changelist(), {"q": "okafor"}).content.decode()


def test_intake_can_move_a_request_on_assign_it_and_add_a_note(client, intake_user):
    consultation = make_request()
    client.force_login(intake_user)
    page = client.get(change(consultation)).content.decode()
    assert "Fell on a broken step" in page  # everything submitted is shown (read-only)
    assert 'value="booked"' not in page  # only the next steps are offered
    response = client.post(
        change(consultation),
        {
            "status": "contacted",
            "assignee": intake_user.pk,
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            "notes-0-text": "Left a voicemail, will try again at 4pm.",
            "emails-TOTAL_FORMS": "0",
            "emails-INITIAL_FORMS": "0",
            "emails-MIN_NUM_FORMS": "0",
            "emails-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation.refresh_from_db()
    assert consultation.status == "contacted" and consultation.assignee == intake_user
    note = InternalNote.objects.get()
    assert note.author == intake_user and note.created_at is not None
    page = client.get(change(consultation)).content.decode()
    assert "Left a voicemail" in page and "ida" in page


def test_status_cannot_skip_to_a_step_that_does_not_follow(client, intake_user):
    consultation = make_request()
    client.force_login(intake_user)
    response = client.post(change(consultation), {"status": "retained", "assignee": ""})
    assert response.status_code == 200
    consultation.refresh_from_db()
    assert consultation.status == "new"


def test_intake_cannot_delete_or_add_requests(client, intake_user):
    consultation = make_request()
    client.force_login(intake_user)
    assert client.get(reverse("admin:consultations_consultationrequest_add")).status_code == 403
    delete = reverse("admin:consultations_consultationrequest_delete", args=[consultation.pk])
    assert client.get(delete).status_code == 403


def test_csv_export_is_for_intake_only_and_safe_to_open_in_a_spreadsheet(
    client, intake_user, django_user_model
):
    consultation = make_request()
    client.force_login(intake_user)
    response = client.post(
        changelist(), {"action": "action_export_csv", "_selected_action": [consultation.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Request", "Received", "Status", "Assignee", "Name"]
    assert rows[1][0] == consultation.number
    assert "Fell on a broken step" not in response.content.decode()

    viewer = django_user_model.objects.create_user("viewer", password="pw-viewer-1234567", is_staff=True)
    viewer.user_permissions.add(*intake_user.groups.get().permissions.exclude(codename__startswith="export"))
    client.force_login(viewer)
    assert "action_export_csv" not in client.get(changelist()).content.decode()


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from consultations.admin import csv_cell

    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_cell("+1 212") == "'+1 212"
    assert csv_cell("Sam") == "Sam"


def test_not_spam_action_makes_it_new_and_sends_the_emails(client, intake_user, mailoutbox):
    consultation = make_request(status="spam", spam_reason="too_fast")
    assert consultation.emails.count() == 0
    client.force_login(intake_user)
    client.post(changelist(), {"action": "action_not_spam", "_selected_action": [consultation.pk]})
    consultation.refresh_from_db()
    assert consultation.status == "new" and consultation.spam_reason == ""
    drain()
    assert sorted(m.to[0] for m in mailoutbox) == ["intake@example.com", "sam@example.org"]


def test_flags_are_computed_when_saved(time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 12, tzinfo=NY))
    flagged = make_request(who="city", incident_date=date(2024, 6, 1), phone="", contact_method="phone")
    assert flagged.is_notice_of_claim_risk and flagged.is_limitation_close and flagged.is_missing_callback
    assert len(flagged.flags) == 3
    calm = make_request(what="medical", who="private", incident_date=date(2026, 1, 10))
    assert not (calm.is_notice_of_claim_risk or calm.is_limitation_close or calm.is_missing_callback)


def test_one_business_day_skips_the_weekend():
    monday_10am = datetime(2026, 3, 2, 10, tzinfo=NY)
    assert one_business_day_before(monday_10am) == datetime(2026, 2, 27, 10, tzinfo=NY)  # Friday
    wednesday = datetime(2026, 3, 4, 9, tzinfo=NY)
    assert one_business_day_before(wednesday) == datetime(2026, 3, 3, 9, tzinfo=NY)


def test_admin_index_counts_new_and_overdue_requests(client, intake_user, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=NY))  # a Monday
    make_request(received_at=datetime(2026, 2, 26, 15, tzinfo=NY))  # Thursday: overdue
    make_request(received_at=datetime(2026, 2, 27, 16, tzinfo=NY))  # Friday afternoon: not yet
    make_request(received_at=datetime(2026, 2, 25, 9, tzinfo=NY), status="contacted")
    client.force_login(intake_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<strong>2</strong> new" in html
    assert "<strong>1</strong> overdue" in html


def test_email_history_is_shown_with_the_request(client, intake_user):
    consultation = make_request()
    OutboundEmail.objects.create(source=consultation, kind="firm", state="failed", last_error="boom")
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    assert "email history" in html.lower() and "Failed for good" in html and "boom" in html


def test_admin_pages_render_for_a_superuser(admin_client):
    consultation = make_request()
    OutboundEmail.objects.create(source=consultation, kind="firm")
    email = consultation.emails.get()
    for url in (
        changelist(),
        change(consultation),
        reverse("admin:outbox_outboundemail_changelist"),
        reverse("admin:outbox_outboundemail_change", args=[email.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_overdue_uses_business_days(time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 10, tzinfo=NY))
    make_request(received_at=datetime(2026, 2, 27, 9, tzinfo=NY))
    make_request(received_at=datetime(2026, 3, 2, 9, tzinfo=NY) - timedelta(hours=1))
    assert ConsultationRequest.objects.overdue().count() == 1


def test_the_callback_number_and_address_are_one_click_away(client, intake_user):
    consultation = make_request(phone="(718) 555-0199", email="sam@example.org")
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    assert (
        '<a href="tel:7185550199"><span class="nowrap">(718)</span> <span class="nowrap">555-0199</span></a>'
        in html
    )
    assert '<a href="mailto:sam@example.org">sam@<wbr>example.org</a>' in html


def test_resending_from_the_request_list_requeues_unsent_emails_but_not_one_being_sent(client, intake_user):
    consultation = make_request()
    failed = OutboundEmail.objects.create(source=consultation, kind="firm", state="failed", attempts=5)
    busy = OutboundEmail.objects.create(source=consultation, kind="visitor", state="sending", attempts=1)
    client.force_login(intake_user)
    client.post(changelist(), {"action": "action_resend_failed", "_selected_action": [consultation.pk]})
    failed.refresh_from_db()
    busy.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("pending", 0, "")
    assert (busy.state, busy.attempts) == ("sending", 1)


def test_the_triage_list_of_a_hundred_requests_costs_at_most_eleven_queries(
    client, intake_user, django_assert_max_num_queries
):
    from tests.factories import PracticeAreaFactory

    areas = [
        PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice"),
        PracticeAreaFactory(slug="personal-injury", name="Personal injury"),
        None,
    ]
    for i in range(100):
        make_request(
            name=f"Person {i}",
            practice_area=areas[i % 3],
            who=("city", "private", "unsure")[i % 3],
            what=("medical", "car", "")[i % 3],
            incident_date=date(2026, 1, 1) + timedelta(days=i * 3) if i % 4 else None,
            assignee=intake_user if i % 5 == 0 else None,
            received_at=datetime(2026, 11, 20, 9, tzinfo=NY) + timedelta(hours=i),
        )
    client.force_login(intake_user)
    for params in (
        {},
        {"assigned": "mine"},
        {"assigned": "none", "o": "3"},
        {"status__exact": "all", "p": "2"},
    ):
        # Ten, and one read of the time-limits table that ranks the requests.
        with django_assert_max_num_queries(11) as captured:
            response = client.get(changelist(), params)
        assert response.status_code == 200
        assert response.content.decode().count("urgency urgency--") >= 20, params
        print(f"triage list {params}: {len(captured)} queries")  # noqa: T201 (the figure for the report)


def test_the_default_view_hides_spam_and_closed_requests_and_all_shows_them(client, intake_user):
    open_request = make_request(name="Still Open")
    make_request(name="Spam Bot", status="spam", spam_reason="honeypot")
    make_request(name="Declined Person", status="declined")
    client.force_login(intake_user)
    html = client.get(changelist()).content.decode()
    assert open_request.name in html and "Spam Bot" not in html and "Declined Person" not in html
    html = client.get(changelist(), {"status__exact": "all"}).content.decode()
    assert "Spam Bot" in html and "Declined Person" in html
    html = client.get(changelist(), {"status__exact": "spam"}).content.decode()
    assert "Spam Bot" in html and "Still Open" not in html
    # A search looks through closed requests too.
    assert "Declined Person" in client.get(changelist(), {"q": "declined"}).content.decode()


def test_mine_and_unassigned_filters(client, intake_user, django_user_model):
    other = django_user_model.objects.create_user("other", password="pw-other-1234567", is_staff=True)
    make_request(name="Ida Case", assignee=intake_user)
    make_request(name="Other Case", assignee=other)
    make_request(name="Nobody Case")
    client.force_login(intake_user)
    mine = client.get(changelist(), {"assigned": "mine"}).content.decode()
    assert "Ida Case" in mine and "Other Case" not in mine and "Nobody Case" not in mine
    unassigned = client.get(changelist(), {"assigned": "none"}).content.decode()
    assert "Nobody Case" in unassigned and "Ida Case" not in unassigned and "Other Case" not in unassigned


def test_columns_can_still_be_sorted_by_hand(client, intake_user):
    make_request(name="Aaron First")
    make_request(name="Zoe Last")
    client.force_login(intake_user)
    index = list(ConsultationRequestAdminColumns()).index("name_cell") + 1
    html = client.get(changelist(), {"o": f"-{index}"}).content.decode()
    assert html.index("Zoe Last") < html.index("Aaron First")
    html = client.get(changelist(), {"o": f"{index}"}).content.decode()
    assert html.index("Aaron First") < html.index("Zoe Last")


def ConsultationRequestAdminColumns():  # noqa: N802 (reads like the tuple it returns)
    from consultations.admin import ConsultationRequestAdmin

    return ConsultationRequestAdmin.list_display

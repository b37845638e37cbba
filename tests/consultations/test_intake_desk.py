"""Intake's desk: reaching the visitor the way they chose, taking a request in one click, the firm email's
subject and the export (CSV and .xlsx)."""

import csv
import importlib
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consultations.emails import firm_subject
from consultations.models import ConsultationRequest, InternalNote
from outbox.models import OutboundEmail
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def changelist():
    return reverse("admin:consultations_consultationrequest_changelist")


def change(consultation):
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def assign_to_me(consultation):
    return reverse("admin:consultations_consultationrequest_assign_to_me", args=[consultation.pk])


# -- the callback flag follows the way of contact the visitor chose


@pytest.mark.parametrize(
    ("method", "phone", "email", "missing"),
    [
        ("email", "", "dana@example.org", False),  # email-only, as asked: nothing missing
        ("phone", "", "dana@example.org", True),  # asked for a call, gave no number
        ("phone", "212-555-0147", "", False),
        ("either", "", "dana@example.org", False),
        ("email", "212-555-0147", "", True),  # asked for email, gave none (older requests)
    ],
)
def test_missing_callback_follows_the_contact_choice(method, phone, email, missing):
    consultation = ConsultationRequestFactory(contact_method=method, phone=phone, email=email)
    assert consultation.is_missing_callback is missing


def test_the_migration_recomputes_stored_flags_the_way_the_model_does():
    rows = [
        ConsultationRequestFactory(contact_method=method, phone=phone, email=email)
        for method, phone, email in [
            ("email", "", "a@example.org"),
            ("phone", "", "b@example.org"),
            ("either", "212-555-0147", ""),
            ("email", "212-555-0147", ""),
        ]
    ]
    ConsultationRequest.objects.update(is_missing_callback=False)
    migration = importlib.import_module("consultations.migrations.0011_missing_callback_follows_choice")
    with connection.cursor() as cursor:
        cursor.execute(migration.RECOMPUTE)
    for row in rows:
        stored = ConsultationRequest.objects.values_list("is_missing_callback", flat=True).get(pk=row.pk)
        assert stored is row.is_missing_callback, row.contact_method


# -- who may take a request, by name


def test_the_assignee_list_names_everyone_with_the_intake_permission_and_nobody_else(
    client, intake_user, django_user_model, editor_user
):
    intake_user.first_name, intake_user.last_name = "Ida", "Moreno"
    intake_user.save()
    attorney = django_user_model.objects.create_user(
        "elena", "elena@example.org", "pw-elena-1234567", is_staff=True, first_name="Elena", last_name="Marsh"
    )
    attorney.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    consultation = ConsultationRequestFactory()
    client.force_login(intake_user)

    html = client.get(change(consultation)).content.decode()
    assert ">Ida Moreno</option>" in html
    assert "Elena Marsh" not in html  # an attorney without the intake permission is not offered
    assert ">ed</option>" not in html  # nor an editor
    # Assigning someone who may not take requests is refused: assigning grants nothing.
    response = client.post(
        change(consultation), {"status": "new", **_inline_management(), "assignee": attorney.pk}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not attorney.has_perm("consultations.change_consultationrequest")

    attorney.user_permissions.add(Permission.objects.get(codename="change_consultationrequest"))
    html = client.get(change(consultation)).content.decode()
    assert ">Elena Marsh</option>" in html  # given the permission, the attorney is offered by name
    assert ">elena</option>" not in html


def _inline_management() -> dict:
    return {
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "emails-TOTAL_FORMS": "0",
        "emails-INITIAL_FORMS": "0",
    }


def test_assign_to_me_takes_the_request_in_one_post_and_goes_back_to_the_filtered_list(client, intake_user):
    consultation = ConsultationRequestFactory()
    client.force_login(intake_user)
    listing = client.get(changelist(), {"status__exact": "new"}).content.decode()
    assert 'form="assign-to-me"' in listing and ">Assign to me</button>" in listing

    assert client.get(assign_to_me(consultation)).status_code == 405  # never a GET link
    response = client.post(assign_to_me(consultation) + "?back=list&_changelist_filters=status__exact%3Dnew")
    assert response.status_code == 302
    assert response["Location"] == changelist() + "?status__exact=new"
    consultation.refresh_from_db()
    assert consultation.assignee == intake_user
    # Taking it yourself sends nobody an email.
    assert not OutboundEmail.objects.filter(kind="assignment").exists()
    # On the request page the button is gone once the request is yours.
    assert ">Assign to me</button>" not in client.get(change(consultation)).content.decode()


def test_assign_to_me_writes_only_the_assignee_and_logs_it(client, intake_user):
    consultation = ConsultationRequestFactory()
    # A stored flag that a save would recompute: taking the request must leave it as it is.
    ConsultationRequest.objects.filter(pk=consultation.pk).update(is_limitation_close=True)
    client.force_login(intake_user)
    client.post(assign_to_me(consultation))
    consultation.refresh_from_db()
    assert consultation.assignee == intake_user and consultation.is_limitation_close
    entry = LogEntry.objects.get(object_id=str(consultation.pk))
    assert entry.user == intake_user and "Assignee" in entry.get_change_message()


def test_assign_to_me_from_the_request_page_returns_to_it(client, intake_user):
    consultation = ConsultationRequestFactory()
    client.force_login(intake_user)
    assert ">Assign to me</button>" in client.get(change(consultation)).content.decode()
    response = client.post(assign_to_me(consultation))
    assert response["Location"] == change(consultation)


def test_only_people_who_may_take_requests_can_assign_themselves(client, intake_user, django_user_model):
    consultation = ConsultationRequestFactory()
    viewer = django_user_model.objects.create_user("viewer", password="pw-viewer-1234567", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    client.force_login(viewer)
    assert ">Assign to me</button>" not in client.get(changelist()).content.decode()
    assert client.post(assign_to_me(consultation)).status_code == 403
    consultation.refresh_from_db()
    assert consultation.assignee is None


def test_the_list_shows_phone_and_email_as_links_and_the_assignee_by_name(client, intake_user):
    intake_user.first_name, intake_user.last_name = "Ida", "Moreno"
    intake_user.save()
    ConsultationRequestFactory(
        name="Dana Rivers", phone="", email="dana@example.org", contact_method="email", assignee=intake_user
    )
    client.force_login(intake_user)
    html = client.get(changelist()).content.decode()
    assert '<a href="mailto:dana@example.org">dana@<wbr>example.org</a>' in html
    assert '<td class="field-assignee_cell">Ida Moreno</td>' in html
    assert "Missing callback details" not in html


# -- the firm email's subject carries the urgency


def test_the_firm_subject_leads_with_the_nearest_deadline_and_names_nobody(time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 10, tzinfo=NY))
    city = ConsultationRequestFactory(
        name="Maria Alvarez", what="fall", who="city", incident_date=date(2026, 12, 5) - timedelta(days=80)
    )
    assert firm_subject(city) == f"Notice of claim due in ~10 days — {city.number}"
    undated = ConsultationRequestFactory(what="fall", who="city", incident_date=None)
    assert firm_subject(undated) == f"Ask the incident date: notice of claim may apply — {undated.number}"
    far = ConsultationRequestFactory(what="medical", who="private", incident_date=date(2026, 6, 5))
    assert firm_subject(far) == f"Medical malpractice due in ~24 months — {far.number}"
    for consultation in (city, undated, far):
        subject = firm_subject(consultation)
        assert consultation.name not in subject and consultation.phone not in subject
        assert "\n" not in subject


# -- the export


def export(client, action, *consultations):
    return client.post(changelist(), {"action": action, "_selected_action": [c.pk for c in consultations]})


def _export_fixture(intake_user, time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 10, tzinfo=NY))
    intake_user.first_name, intake_user.last_name = "Ida", "Moreno"
    intake_user.save()
    late_evening = datetime(2026, 12, 1, 23, 15, tzinfo=NY)  # already Dec 2 in UTC
    urgent = ConsultationRequestFactory(
        name='=HYPERLINK("http://evil")',
        what="fall",
        who="city",
        incident_date=date(2026, 9, 16),
        received_at=late_evening,
        assignee=intake_user,
    )
    InternalNote.objects.create(consultation=urgent, author=intake_user, text="Left a voicemail.")
    InternalNote.objects.create(consultation=urgent, author=intake_user, text="Called back.")
    return urgent


def test_the_xlsx_export_has_date_cells_in_new_york_time_and_no_formulas(client, intake_user, time_machine):
    urgent = _export_fixture(intake_user, time_machine)
    client.force_login(intake_user)
    response = export(client, "action_export_xlsx", urgent)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="consultations-2026-12-05.xlsx"'
    assert "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Received (New York time)"].value == datetime(2026, 12, 1, 23, 15)  # a real date cell
    assert row["Received (New York time)"].is_date
    assert row["Incident date"].value == datetime(2026, 9, 16) and row["Incident date"].is_date
    assert row["Next deadline (est.)"].value == datetime(2026, 12, 15)  # 90 days after Sep 16
    assert row["Its rule"].value == "Notice of claim"
    assert (
        row["Urgency"].value
        == "Notice of claim: 10 days left (est.); Overdue: no contact for 3 business days"
    )
    assert row["Assignee"].value == "Ida Moreno"
    assert row["Status"].value == "New"
    assert row["Notes"].value == 2
    # The same guard as the CSV: text, never a formula.
    assert row["Name"].value == '\'=HYPERLINK("http://evil")' and row["Name"].data_type == "s"
    assert "Fell on a broken step" not in str([cell.value for cell in sheet[2]])


def test_the_csv_export_carries_the_same_columns(client, intake_user, time_machine):
    urgent = _export_fixture(intake_user, time_machine)
    client.force_login(intake_user)
    response = export(client, "action_export_csv", urgent)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["Received"] == "2026-12-01T23:15:00-05:00"
    assert rows[0]["Urgency"].startswith("Notice of claim: 10 days left (est.); Overdue")
    assert (rows[0]["Next deadline (est.)"], rows[0]["Its rule"]) == ("2026-12-15", "Notice of claim")
    assert (rows[0]["Assignee"], rows[0]["Status"], rows[0]["Notes"]) == ("Ida Moreno", "New", "2")
    assert rows[0]["Name"].startswith("'=")


def test_both_exports_are_offered_only_to_who_may_export(client, intake_user, django_user_model):
    client.force_login(intake_user)
    html = client.get(changelist()).content.decode()
    assert 'value="action_export_xlsx"' in html and 'value="action_export_csv"' in html
    viewer = django_user_model.objects.create_user("viewer", password="pw-viewer-1234567", is_staff=True)
    viewer.user_permissions.add(*intake_user.groups.get().permissions.exclude(codename__startswith="export"))
    client.force_login(viewer)
    html = client.get(changelist()).content.decode()
    assert "action_export_xlsx" not in html
    response = export(client, "action_export_xlsx", ConsultationRequestFactory())
    assert response.status_code in {200, 302} and not response.get("Content-Type", "").endswith("sheet")


def test_the_request_page_starts_with_urgency_and_how_to_reach_them(client, intake_user):
    consultation = ConsultationRequestFactory(received_at=timezone.now())
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    order = [
        html.index("field-urgency_detail"),
        html.index("field-name"),
        html.index("field-phone_link"),
        html.index("field-email_link"),
        html.index("field-best_time"),
        html.index("field-status"),
        html.index("field-what_happened"),
    ]
    assert order == sorted(order)

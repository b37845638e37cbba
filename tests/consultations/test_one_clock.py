"""One clock: every time staff see is New York time, with the zone where it matters; the CSV carries offsets.
Notes show who and when only once saved; the email history lists each email once."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultations.models import InternalNote
from outbox.models import OutboundEmail
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")


def change(consultation):
    return reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])


def test_a_note_is_titled_in_new_york_time_with_its_zone(intake_user):
    consultation = ConsultationRequestFactory()
    # 04:15 UTC on December 2 is 11:15 pm on December 1 in New York.
    note = InternalNote.objects.create(
        consultation=consultation,
        author=intake_user,
        text="Called",
        created_at=datetime(2026, 12, 2, 4, 15, tzinfo=UTC),
    )
    assert str(note) == "Note by ida at Dec 1, 2026, 11:15 PM EST"
    summer = InternalNote(author=intake_user, created_at=datetime(2026, 7, 1, 16, 0, tzinfo=UTC))
    assert str(summer) == "Note by ida at Jul 1, 2026, 12:00 PM EDT"


def test_the_csv_received_column_is_iso_8601_with_the_new_york_offset(client, intake_user):
    late_evening = ConsultationRequestFactory(received_at=datetime(2026, 12, 2, 4, 15, tzinfo=UTC))
    summer = ConsultationRequestFactory(received_at=datetime(2026, 7, 1, 16, 0, 30, 123456, tzinfo=UTC))
    client.force_login(intake_user)
    response = client.post(
        reverse("admin:consultations_consultationrequest_changelist"),
        {"action": "action_export_csv", "_selected_action": [late_evening.pk, summer.pk]},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    received = {row["Request"]: row["Received"] for row in rows}
    assert received[late_evening.number] == "2026-12-01T23:15:00-05:00"  # the day a New Yorker saw
    assert received[summer.number] == "2026-07-01T12:00:30-04:00"


def test_the_request_page_shows_times_in_new_york_with_the_zone(client, intake_user):
    consultation = ConsultationRequestFactory(received_at=datetime(2026, 12, 2, 4, 15, tzinfo=UTC))
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    assert "Dec 1, 2026, 11:15 PM EST" in html
    assert "04:15" not in html


def test_a_note_shows_who_and_when_only_once_saved(client, intake_user):
    consultation = ConsultationRequestFactory()
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    empty_row = re.search(r'<tr class="form-row[^"]*"\s+id="notes-0">(.*?)</tr>', html, re.S).group(1)
    assert "EST" not in empty_row and "EDT" not in empty_row and "ida" not in empty_row
    assert re.search(r'class="field-written_at">\s*<p></p>', empty_row)

    InternalNote.objects.create(
        consultation=consultation,
        author=intake_user,
        text="Left a voicemail",
        created_at=datetime(2026, 12, 2, 4, 15, tzinfo=UTC),
    )
    html = client.get(change(consultation)).content.decode()
    saved_row = re.search(r'<tr class="form-row[^"]*"\s+id="notes-0">(.*?)</tr>', html, re.S).group(1)
    assert "Dec 1, 2026, 11:15 PM EST" in saved_row and "ida" in saved_row
    assert html.count("Dec 1, 2026, 11:15 PM EST") == 1  # not repeated as the row's title


def test_the_email_history_lists_each_email_once(client, intake_user):
    consultation = ConsultationRequestFactory()
    OutboundEmail.objects.create(
        source=consultation, kind="firm", state="sent", sent_at=datetime(2026, 12, 2, 4, 15, tzinfo=UTC)
    )
    OutboundEmail.objects.create(source=consultation, kind="visitor", state="failed", last_error="boom")
    client.force_login(intake_user)
    html = client.get(change(consultation)).content.decode()
    history = html[html.index('id="emails-group"') :]
    history = history[: history.index("</fieldset>")]
    assert history.count("New request, to the firm") == 1
    assert history.count("Confirmation, to the visitor") == 1
    assert history.count("Dec 1, 2026, 11:15 PM EST") == 1  # sent time, New York

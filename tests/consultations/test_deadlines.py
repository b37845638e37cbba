"""Deadline estimates and urgency: each rule, the calendar edges, and the SQL that sorts the list agreeing with
the Python that words it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from consultations import deadlines
from consultations.deadlines import RULES, Period, estimates, next_deadline
from consultations.models import ConsultationRequest
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

NY = ZoneInfo("America/New_York")
TODAY = date(2026, 12, 2)  # a Wednesday
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=NY)


def area(slug):
    names = {
        "medical-malpractice": "Medical malpractice",
        "personal-injury": "Personal injury",
        "claims-against-public-bodies": "Claims against public bodies",
    }
    return PracticeAreaFactory(slug=slug, name=names.get(slug, slug.replace("-", " ").capitalize()))


def keys(found):
    return [estimate.rule.key for estimate in found]


def test_the_rules_table_names_a_source_for_every_rule():
    assert [rule.key for rule in RULES] == [
        "notice_of_claim",
        "sue_public_body",
        "medical_malpractice",
        "negligence",
    ]
    assert all(rule.source for rule in RULES)
    sources = {rule.key: rule.source for rule in RULES}
    assert "§ 50-e" in sources["notice_of_claim"] and "§ 50-i" in sources["sue_public_body"]
    assert "214-a" in sources["medical_malpractice"] and "214(5)" in sources["negligence"]


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2026, 1, 10), Period(days=90), date(2026, 4, 10)),
        (date(2025, 6, 2), Period(years=1, days=90), date(2026, 8, 31)),
        (date(2024, 6, 30), Period(years=2, months=6), date(2026, 12, 30)),
        (date(2023, 12, 2), Period(years=3), date(2026, 12, 2)),
        # Leap day: one year later there is no February 29, so the period ends on February 28 (General
        # Construction Law § 30: the last day of the month), never March 1.
        (date(2024, 2, 29), Period(years=1), date(2025, 2, 28)),
        (date(2024, 2, 29), Period(years=3), date(2027, 2, 28)),
        (date(2024, 2, 29), Period(years=4), date(2028, 2, 29)),
        # Months first, then days: Feb 28 2025 + 90 days.
        (date(2024, 2, 29), Period(years=1, days=90), date(2025, 5, 29)),
        # 2½ years from August 31 lands in February: its last day.
        (date(2023, 8, 31), Period(years=2, months=6), date(2026, 2, 28)),
        (date(2021, 8, 31), Period(years=2, months=6), date(2024, 2, 29)),
    ],
)
def test_periods_follow_the_general_construction_law(start, period, end):
    assert period.after(start) == end


def test_unknown_incident_date_gives_no_dates():
    assert estimates(incident_date=None, public_entity="yes", area_slug=None, today=TODAY) == []


def test_public_body_gets_the_notice_of_claim_and_the_year_and_ninety_days_first():
    found = estimates(
        incident_date=date(2026, 11, 9), public_entity="yes", area_slug="personal-injury", today=TODAY
    )
    assert keys(found) == ["notice_of_claim", "sue_public_body", "negligence"]
    notice = next_deadline(found)
    assert notice.due == date(2027, 2, 7) and notice.days_left == 67
    assert notice.wording() == "Notice of claim: 67 days left (est.)"
    assert "General Municipal Law § 50-e" in notice.long_wording()
    assert "Feb 7, 2027" in notice.long_wording()


def test_not_sure_about_a_public_body_counts_as_maybe():
    found = estimates(
        incident_date=date(2026, 11, 9), public_entity="unsure", area_slug="medical-malpractice", today=TODAY
    )
    assert keys(found) == ["notice_of_claim", "sue_public_body", "medical_malpractice"]


def test_medical_malpractice_without_a_public_body_is_two_and_a_half_years():
    found = estimates(
        incident_date=date(2024, 7, 1), public_entity="no", area_slug="medical-malpractice", today=TODAY
    )
    assert keys(found) == ["medical_malpractice"]
    assert (
        found[0].due == date(2027, 1, 1)
        and found[0].wording() == "Medical malpractice limit: 30 days left (est.)"
    )


def test_personal_injury_without_a_public_body_is_three_years():
    found = estimates(
        incident_date=date(2024, 7, 1), public_entity="no", area_slug="personal-injury", today=TODAY
    )
    assert keys(found) == ["negligence"] and found[0].due == date(2027, 7, 1)


def test_claims_against_public_bodies_area_applies_the_notice_even_if_the_visitor_said_no():
    found = estimates(
        incident_date=date(2026, 11, 30),
        public_entity="no",
        area_slug="claims-against-public-bodies",
        today=TODAY,
    )
    assert keys(found)[:2] == ["notice_of_claim", "sue_public_body"]


@pytest.mark.parametrize("slug", [None, "workers-compensation"])
def test_unknown_area_shows_the_earliest_of_every_limit_that_may_apply(slug):
    found = estimates(incident_date=date(2024, 7, 1), public_entity="no", area_slug=slug, today=TODAY)
    assert keys(found) == ["medical_malpractice", "negligence"]
    assert next_deadline(found).rule.key == "medical_malpractice"


def test_a_passed_notice_date_leaves_the_next_one_as_the_deadline():
    found = estimates(
        incident_date=date(2026, 6, 1), public_entity="yes", area_slug="personal-injury", today=TODAY
    )
    assert found[0].has_passed and found[0].wording() == "Notice of claim: date passed 94 days ago (est.)"
    assert next_deadline(found).rule.key == "sue_public_body"


def test_due_today_and_one_day_left_are_worded_plainly():
    found = estimates(incident_date=date(2026, 9, 3), public_entity="yes", area_slug=None, today=TODAY)
    assert found[0].wording() == "Notice of claim: due today (est.)"
    found = estimates(incident_date=date(2026, 9, 4), public_entity="yes", area_slug=None, today=TODAY)
    assert found[0].wording() == "Notice of claim: 1 day left (est.)"


# Urgency: wording, colour level and rank, against the database.


pytestmark = pytest.mark.django_db


def make(**fields) -> ConsultationRequest:
    fields.setdefault("received_at", NOW - timedelta(hours=1))
    fields.setdefault("practice_area", area("personal-injury"))
    return ConsultationRequestFactory(**fields)


def test_notice_of_claim_within_thirty_days_is_deadline_critical():
    consultation = make(incident_date=date(2026, 9, 20), public_entity="yes")
    urgency = consultation.urgency(now=NOW)
    assert urgency.level == "critical" and urgency.rank == 0
    assert urgency.lines == ["Notice of claim: 17 days left (est.)"]


def test_limitation_within_ninety_days_is_soon():
    consultation = make(incident_date=date(2024, 1, 15), public_entity="no")
    urgency = consultation.urgency(now=NOW)
    assert urgency.level == "soon" and urgency.rank == 2
    assert urgency.lines == ["Negligence limit: 44 days left (est.)"]


def test_unknown_date_asks_for_it_and_says_which_limit_may_apply():
    public = make(incident_date=None, public_entity="unsure").urgency(now=NOW)
    assert public.level == "ask" and public.lines == ["Ask the date: notice of claim (90 days) may apply"]
    private = make(incident_date=None, public_entity="no", practice_area=area("medical-malpractice"))
    assert private.urgency(now=NOW).lines == ["Ask the date: medical malpractice limit (2½ years) may apply"]


def test_unknown_area_says_it_shows_the_earliest():
    consultation = make(incident_date=date(2026, 1, 5), public_entity="no", practice_area=None)
    assert consultation.urgency(now=NOW).lines == [
        "Medical malpractice limit: 581 days left (est.)",
        "Area not given: earliest that may apply",
    ]


def test_everything_passed_is_for_a_lawyer_to_review():
    consultation = make(incident_date=date(2020, 1, 5), public_entity="no")
    urgency = consultation.urgency(now=NOW)
    assert urgency.level == "passed"
    assert urgency.lines == [
        "Estimated deadlines have passed (Negligence limit: date passed 1427 days ago (est.)): "
        "for a lawyer to review"
    ]


def test_overdue_counts_business_days_and_skips_the_weekend_and_holidays():
    # Received Wednesday before Thanksgiving; seen the next Monday: Friday and Monday have passed.
    monday = datetime(2026, 11, 30, 10, tzinfo=NY)
    consultation = make(received_at=datetime(2026, 11, 25, 9, tzinfo=NY), incident_date=date(2026, 1, 5))
    urgency = consultation.urgency(now=monday)
    assert urgency.level == "overdue" and urgency.rank == 1
    assert urgency.lines[-1] == "Overdue: no contact for 2 business days"


def test_friday_afternoon_request_is_not_overdue_on_monday_morning():
    monday = datetime(2026, 11, 30, 9, tzinfo=NY)
    consultation = make(received_at=datetime(2026, 11, 27, 16, tzinfo=NY), incident_date=date(2026, 1, 5))
    assert consultation.urgency(now=monday).rank == 2


def test_closed_requests_rank_last():
    consultation = make(status="declined", incident_date=date(2026, 9, 20), public_entity="yes")
    assert consultation.urgency(now=NOW).rank == 4


def test_sql_and_python_agree_on_the_next_deadline_and_rank_including_leap_days(time_machine):
    time_machine.move_to(NOW)
    areas = [area("medical-malpractice"), area("personal-injury"), area("claims-against-public-bodies"), None]
    incident_dates = [
        None,
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2023, 8, 31),
        date(2024, 6, 2),
        date(2026, 9, 3),
        date(2026, 9, 2),
        date(2026, 11, 30),
        date(2023, 12, 2),
    ]
    made = []
    for index, incident_date in enumerate(incident_dates):
        for area_index, practice_area in enumerate(areas):
            public_entity = ("yes", "no", "unsure")[(index + area_index) % 3]
            status = ("new", "contacted", "new", "referred")[(index + area_index) % 4]
            received = NOW - timedelta(days=(index + area_index) % 4)
            made.append(
                make(
                    incident_date=incident_date,
                    public_entity=public_entity,
                    practice_area=practice_area,
                    status=status,
                    received_at=received,
                )
            )
    rows = {
        row.pk: row for row in ConsultationRequest.objects.with_urgency(NOW).select_related("practice_area")
    }
    for consultation in made:
        row = rows[consultation.pk]
        python = consultation.urgency(now=NOW)
        upcoming = next_deadline(consultation.deadline_estimates(today=NOW.date()))
        assert row.next_deadline == (upcoming.due if upcoming else None), (consultation.incident_date, row)
        assert row.urgency_rank == python.rank, (consultation.incident_date, consultation.status)


def test_the_list_order_is_critical_then_overdue_then_oldest_new_then_in_progress(time_machine):
    time_machine.move_to(NOW)
    calm_new = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(hours=2))
    older_new = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(hours=5))
    overdue = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(days=3))
    critical = make(incident_date=date(2026, 9, 20), public_entity="yes", status="contacted")
    more_critical = make(incident_date=date(2026, 9, 10), public_entity="yes")
    in_progress = make(incident_date=None, status="contacted", received_at=NOW - timedelta(days=20))
    make(status="spam", spam_reason="honeypot")  # out of the open list
    order = list(ConsultationRequest.objects.open().by_urgency(NOW))
    assert order == [more_critical, critical, overdue, older_new, calm_new, in_progress]


def test_critical_threshold_is_thirty_days():
    assert deadlines.CRITICAL_DAYS == 30
    just_outside = make(incident_date=date(2026, 9, 3) + timedelta(days=31), public_entity="yes")
    assert just_outside.urgency(now=NOW).level == "soon"
    inside = make(incident_date=date(2026, 9, 3) + timedelta(days=30), public_entity="yes")
    assert inside.urgency(now=NOW).level == "critical"


def test_the_firms_email_carries_the_deadline_estimates_with_their_sources(time_machine):
    from outbox.models import OutboundEmail
    from outbox.sending import build_message

    time_machine.move_to(NOW)
    consultation = make(incident_date=date(2026, 9, 20), public_entity="yes")
    email = OutboundEmail.objects.create(source=consultation, kind="firm")
    message = build_message(email)
    assert "Notice of claim: 17 days left (est.)" in message.body
    assert (
        "General Municipal Law § 50-e" in message.body and "estimate for a lawyer to confirm" in message.body
    )
    html = message.alternatives[0].content
    assert "Notice of claim: 17 days left (est.)" in html and "CPLR 214(5)" in html
    assert consultation.what_happened not in message.body


def test_the_request_page_lists_every_estimate_with_its_source(client, intake_user, time_machine):
    from django.urls import reverse

    time_machine.move_to(NOW)
    consultation = make(incident_date=date(2026, 9, 20), public_entity="yes")
    client.force_login(intake_user)
    html = client.get(
        reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])
    ).content
    html = html.decode()
    assert "Notice of claim: 17 days left (est.)" in html
    assert "Dec 19, 2026" in html and "§ 50-i" in html and "estimate for a lawyer to confirm" in html

"""Intake's deadline estimates and urgency, from the time-limits table: the words, the rank, and the SQL that
sorts the list agreeing with the Python that words it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from articles import limits
from consultations import deadlines, urgency
from consultations.models import ConsultationRequest
from tests.consultations.conftest import valid_data
from tests.factories import ConsultationRequestFactory, PracticeAreaFactory

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
TODAY = date(2026, 12, 2)  # a Wednesday
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=NY)


def make(**fields) -> ConsultationRequest:
    fields.setdefault("received_at", NOW - timedelta(hours=1))
    return ConsultationRequestFactory(**fields)


def keys(found):
    return [estimate.rule.key for estimate in found]


def test_the_rules_come_from_the_table(time_limits):
    rules = deadlines.intake_rules()
    assert {rule.key for rule in rules} == set(time_limits)
    dated = {rule.key for rule in deadlines.dated(rules)}
    assert {"gml-50-e", "no-fault-30", "wcl-18", "cplr-214-a", "ftca"} <= dated
    # A rule that runs from an event the form does not ask about has no date here.
    assert not {"gml-50-e-death", "eptl-5-4-1", "ftca-suit", "cplr-208", "gml-50-h"} & dated


def test_a_fall_on_a_city_sidewalk_gets_the_notice_of_claim_first():
    found = make(what="fall", who="city", incident_date=date(2026, 9, 20)).deadline_estimates(today=TODAY)
    assert keys(found)[:3] == ["gml-50-e", "gml-50-e-late", "gml-50-i"]
    assert found[0].due == date(2026, 12, 19) and found[0].days_left == 17
    assert deadlines.wording(found[0]) == "Notice of claim: 17 days left (est.)"
    assert "General Municipal Law § 50-e" in deadlines.long_wording(found[0])


def test_not_sure_who_counts_every_kind_of_defendant():
    found = make(what="fall", who="unsure", incident_date=date(2026, 9, 20)).deadline_estimates(today=TODAY)
    assert {"gml-50-e", "ccla-10-injury", "ftca", "port-authority-notice", "cplr-214-5"} <= set(keys(found))


def test_unknown_what_counts_every_kind_of_harm():
    found = make(what="", who="private", incident_date=date(2026, 11, 20)).deadline_estimates(today=TODAY)
    assert {"no-fault-30", "wcl-18", "cplr-214-a", "cplr-215-3", "cplr-214-5"} <= set(keys(found))


def test_due_today_and_one_day_left_are_worded_plainly():
    found = make(what="fall", who="city", incident_date=date(2026, 9, 3)).deadline_estimates(today=TODAY)
    assert deadlines.wording(found[0]) == "Notice of claim: due today (est.)"
    found = make(what="fall", who="city", incident_date=date(2026, 9, 4)).deadline_estimates(today=TODAY)
    assert deadlines.wording(found[0]) == "Notice of claim: 1 day left (est.)"
    found = make(what="fall", who="city", incident_date=date(2026, 6, 1)).deadline_estimates(today=TODAY)
    assert deadlines.wording(found[0]) == "Notice of claim: date passed 94 days ago (est.)"


def test_a_car_crash_26_days_ago_is_deadline_critical_for_no_fault():
    consultation = make(what="car", who="private", incident_date=TODAY - timedelta(days=26))
    result = consultation.urgency(now=NOW)
    assert result.rank == urgency.RANK_CRITICAL and result.level == "critical"
    assert result.lines[0] == "No-fault application: 4 days left (est.)"
    assert "Hit-and-run: report to the police date passed (est.)" in result.lines


def test_the_form_ranks_a_car_crash_26_days_ago_first(client, time_machine):
    time_machine.move_to(NOW)
    # Already waiting: a malpractice question (2½ years) and an older new request with no date.
    make(what="medical", who="private", incident_date=date(2026, 5, 1), received_at=NOW - timedelta(hours=3))
    make(what="fall", who="private", incident_date=None, received_at=NOW - timedelta(hours=5))
    crash = (TODAY - timedelta(days=26)).isoformat()
    response = client.post(
        reverse("consultations:create"),
        valid_data(
            what="car", who="private", incident_date=crash, what_happened="Rear-ended at a red light."
        ),
    )
    assert response.status_code == 303
    sent = ConsultationRequest.objects.latest("pk")
    assert (sent.what, sent.who, sent.practice_area.slug) == ("car", "private", "personal-injury")
    first = ConsultationRequest.objects.open().by_urgency(NOW).first()
    assert first == sent and first.urgency_rank == urgency.RANK_CRITICAL
    assert first.next_rule == "no-fault-30"


def test_unknown_date_asks_for_it_and_says_which_limit_may_apply():
    public = make(what="fall", who="city", incident_date=None).urgency(now=NOW)
    assert public.level == "ask" and public.lines == ["Ask the date: notice of claim (90 days) may apply"]
    private = make(what="medical", who="private", incident_date=None)
    assert private.urgency(now=NOW).lines == [
        "Ask the date: medical malpractice (2 years and 6 months) may apply"
    ]


def test_what_not_given_says_it_shows_the_earliest():
    consultation = make(what="", who="private", incident_date=date(2026, 1, 5))
    lines = consultation.urgency(now=NOW).lines
    assert lines[-1] == "What happened not given: earliest that may apply"


def test_everything_passed_is_for_a_lawyer_to_review():
    consultation = make(what="fall", who="private", incident_date=date(2020, 1, 5))
    result = consultation.urgency(now=NOW)
    assert result.level == "passed"
    assert result.lines == [
        "Estimated deadlines have passed (Injury caused by negligence: date passed 1427 days ago (est.)): "
        "for a lawyer to review"
    ]


def test_a_rule_awaiting_approval_is_used_by_intake_and_marked_pending(time_limits):
    rule = time_limits["gml-50-e"]
    rule.period_days, rule.period, rule.statement = (
        60,
        "60 days",
        rule.statement.replace("90 days", "60 days"),
    )
    rule.save()
    consultation = make(what="fall", who="city", incident_date=date(2026, 11, 1))
    line = consultation.urgency(now=NOW).lines[0]
    assert line == "Notice of claim: 29 days left (est.) [rule not yet signed off by an attorney]"
    # Visitors are only ever told the approved rule.
    assert consultation.visitor_notices(today=TODAY)[0].due == date(2027, 1, 30)


def test_overdue_counts_business_days_and_skips_the_weekend_and_holidays():
    monday = datetime(2026, 11, 30, 10, tzinfo=NY)
    consultation = make(received_at=datetime(2026, 11, 25, 9, tzinfo=NY), incident_date=date(2026, 1, 5))
    result = consultation.urgency(now=monday)
    assert result.level == "overdue" and result.rank == urgency.RANK_OVERDUE
    assert result.lines[-1] == "Overdue: no contact for 2 business days"


def test_friday_afternoon_request_is_not_overdue_on_monday_morning():
    monday = datetime(2026, 11, 30, 9, tzinfo=NY)
    consultation = make(received_at=datetime(2026, 11, 27, 16, tzinfo=NY), incident_date=date(2026, 1, 5))
    assert consultation.urgency(now=monday).rank == urgency.RANK_NEW


def test_closed_requests_rank_last():
    consultation = make(status="declined", what="fall", who="city", incident_date=date(2026, 9, 20))
    assert consultation.urgency(now=NOW).rank == urgency.RANK_CLOSED


def test_the_rank_reads_the_models_closed_statuses(monkeypatch):
    consultation = make(status="referred", what="fall", who="city", incident_date=date(2026, 9, 20))
    monkeypatch.setattr(ConsultationRequest, "CLOSED_STATUSES", ("declined",))
    assert consultation.urgency(now=NOW).rank != urgency.RANK_CLOSED


def test_what_no_tier_claims_gets_the_last_tiers_rank(monkeypatch):
    consultation = make(status="contacted", incident_date=None)
    *ranked, _rest = urgency.TIERS
    monkeypatch.setattr(urgency, "TIERS", (*ranked, urgency.Tier(7, "The rest")))
    assert consultation.urgency(now=NOW).rank == 7


def test_without_a_date_the_list_and_the_email_name_the_same_shortest_rule():
    consultation = make(what="fall", who="city", incident_date=None)
    rules = deadlines.intake_rules()
    shortest = deadlines.shortest_applying(rules, what="fall", who="city", today=TODAY)
    assert shortest.key == "gml-50-e"
    assert consultation.urgency(now=NOW, rules=rules).lines[0].startswith("Ask the date: notice of claim")
    assert (
        urgency.headline(consultation, now=NOW, rules=rules)
        == "Ask the incident date: notice of claim may apply"
    )
    assert deadlines.shortest_applying(deadlines.dated(rules)[:0], what="", who="unsure", today=TODAY) is None


@pytest.mark.parametrize("who", limits.WHO)
def test_sql_and_python_agree_on_the_next_deadline_and_its_rule_including_leap_days(time_machine, who):
    time_machine.move_to(NOW)
    incident_dates = [
        None, date(2024, 2, 29), date(2025, 2, 28), date(2023, 8, 31), date(2024, 6, 2), date(2026, 9, 3),
        date(2026, 9, 2), date(2026, 11, 30), date(2023, 12, 2), date(2026, 3, 3), date(2026, 10, 4),
    ]  # fmt: skip
    made = [
        make(incident_date=incident_date, what=what, who=who)
        for incident_date in incident_dates
        for what in ("", *limits.WHAT)
    ]
    rows = {row.pk: row for row in ConsultationRequest.objects.filter(who=who).with_urgency(NOW)}
    for consultation in made:
        row = rows[consultation.pk]
        upcoming = limits.next_due(consultation.deadline_estimates(today=TODAY))
        expected = (upcoming.due, upcoming.rule.key) if upcoming else (None, None)
        assert (row.next_deadline, row.next_rule) == expected, (consultation.what, consultation.incident_date)


def test_the_list_order_is_critical_then_overdue_then_oldest_new_then_in_progress(time_machine):
    time_machine.move_to(NOW)
    calm_new = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(hours=2))
    older_new = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(hours=5))
    overdue = make(incident_date=date(2026, 1, 5), received_at=NOW - timedelta(days=3))
    critical = make(incident_date=date(2026, 9, 20), who="city", status="contacted")
    more_critical = make(incident_date=date(2026, 9, 10), who="city")
    in_progress = make(incident_date=None, status="contacted", received_at=NOW - timedelta(days=20))
    make(status="spam", spam_reason="honeypot")  # out of the open list
    order = list(ConsultationRequest.objects.open().by_urgency(NOW))
    assert order == [more_critical, critical, overdue, older_new, calm_new, in_progress]


def test_critical_threshold_is_thirty_days():
    assert deadlines.CRITICAL_DAYS == 30
    just_outside = make(incident_date=date(2026, 9, 3) + timedelta(days=31), who="city")
    assert just_outside.urgency(now=NOW).level == "soon"
    inside = make(incident_date=date(2026, 9, 3) + timedelta(days=30), who="city")
    assert inside.urgency(now=NOW).level == "critical"


def test_the_digest_sections_are_the_ranks_headings():
    assert (
        urgency.SECTIONS[urgency.RANK_CRITICAL] == "Deadline-critical (an estimated deadline within 30 days)"
    )
    assert [tier.rank for tier in urgency.TIERS][:2] == [urgency.RANK_CLOSED, urgency.RANK_CRITICAL]


def test_flags_come_from_the_table():
    city = make(what="fall", who="city", incident_date=date(2026, 11, 20))
    assert city.is_notice_of_claim_risk and city.is_limitation_close
    private_old = make(what="medical", who="private", incident_date=date(2023, 1, 2))
    assert not private_old.is_notice_of_claim_risk and private_old.is_limitation_close
    private_recent = make(what="medical", who="private", incident_date=date(2026, 11, 20))
    assert not private_recent.is_notice_of_claim_risk and not private_recent.is_limitation_close


def test_the_firms_email_carries_the_deadline_estimates_with_their_sources(time_machine):
    from outbox.models import OutboundEmail
    from outbox.sending import build_message

    time_machine.move_to(NOW)
    consultation = make(what="fall", who="city", incident_date=date(2026, 9, 20))
    email = OutboundEmail.objects.create(source=consultation, kind="firm")
    message = build_message(email)
    assert "Notice of claim: 17 days left (est.)" in message.body
    assert (
        "General Municipal Law § 50-e" in message.body and "estimate for a lawyer to confirm" in message.body
    )
    assert "What happened:   A fall (sidewalk, stairs, store, building)" in message.body
    html = message.alternatives[0].content
    assert "Notice of claim: 17 days left (est.)" in html and "General Municipal Law § 50-i" in html
    assert consultation.what_happened not in message.body


def test_the_request_page_lists_every_estimate_with_its_source(client, intake_user, time_machine):
    time_machine.move_to(NOW)
    consultation = make(what="fall", who="city", incident_date=date(2026, 9, 20))
    PracticeAreaFactory(slug="claims-against-public-bodies", name="Claims against public bodies")
    client.force_login(intake_user)
    html = client.get(
        reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])
    ).content
    html = html.decode()
    assert "Notice of claim: 17 days left (est.)" in html
    assert "Dec 19, 2026" in html and "§ 50-i" in html and "estimate for a lawyer to confirm" in html

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from consultations.business_days import (
    business_days_between,
    holidays,
    is_business_day,
    one_business_day_before,
)

NY = ZoneInfo("America/New_York")


def test_the_2026_federal_and_new_york_holidays_as_the_office_observes_them():
    assert sorted(holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 12),  # Lincoln's Birthday (New York)
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),  # July 4 is a Saturday
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 3),  # Election Day (New York)
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("day", "observed"),
    [
        (date(2027, 12, 31), True),  # New Year's Day 2028 is a Saturday
        (date(2028, 1, 1), False),  # ... so the Saturday itself is just a weekend day
        (date(2023, 1, 2), True),  # New Year's Day 2023 was a Sunday
        (date(2026, 11, 25), False),  # the day before Thanksgiving is a working day
    ],
)
def test_holidays_on_a_weekend_move_to_the_nearest_weekday(day, observed):
    assert (day in holidays(day.year)) is observed
    assert is_business_day(day) is not (observed or day.weekday() >= 5)


def test_a_request_before_thanksgiving_is_due_the_friday_after():
    friday_9am = datetime(2026, 11, 27, 9, tzinfo=NY)
    assert one_business_day_before(friday_9am) == datetime(2026, 11, 25, 9, tzinfo=NY)  # skips Thursday
    tuesday_after_memorial_day = datetime(2026, 5, 26, 9, tzinfo=NY)
    assert one_business_day_before(tuesday_after_memorial_day) == datetime(2026, 5, 22, 9, tzinfo=NY)


def test_election_day_is_the_tuesday_after_the_first_monday():
    assert date(2022, 11, 8) in holidays(2022)  # November 1, 2022 was a Tuesday: not Election Day
    assert date(2022, 11, 1) not in holidays(2022)


def test_business_days_between_skips_weekends_and_holidays():
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 2  # Fri 27, Mon 30
    assert business_days_between(date(2026, 12, 4), date(2026, 12, 6)) == 0  # a weekend
    assert business_days_between(date(2026, 12, 2), date(2026, 12, 2)) == 0

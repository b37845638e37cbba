from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from consultations import deadlines
from consultations.business_days import (
    business_days_between,
    is_business_day,
    office_holidays,
    one_business_day_before,
)

NY = ZoneInfo("America/New_York")


def test_the_2026_federal_and_new_york_holidays_as_the_office_observes_them():
    assert sorted(office_holidays(2026)) == [
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
    assert (day in office_holidays(day.year)) is observed
    assert is_business_day(day) is not (observed or day.weekday() >= 5)


def test_a_request_before_thanksgiving_is_due_the_friday_after():
    friday_9am = datetime(2026, 11, 27, 9, tzinfo=NY)
    assert one_business_day_before(friday_9am) == datetime(2026, 11, 25, 9, tzinfo=NY)  # skips Thursday
    tuesday_after_memorial_day = datetime(2026, 5, 26, 9, tzinfo=NY)
    assert one_business_day_before(tuesday_after_memorial_day) == datetime(2026, 5, 22, 9, tzinfo=NY)


def test_election_day_is_the_tuesday_after_the_first_monday():
    assert date(2022, 11, 8) in office_holidays(2022)  # November 1, 2022 was a Tuesday: not Election Day
    assert date(2022, 11, 1) not in office_holidays(2022)


def test_business_days_between_skips_weekends_and_holidays():
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 2  # Fri 27, Mon 30
    assert business_days_between(date(2026, 12, 4), date(2026, 12, 6)) == 0  # a weekend
    assert business_days_between(date(2026, 12, 2), date(2026, 12, 2)) == 0


def test_susan_b_anthony_day_is_a_working_day_unless_it_is_also_washingtons_birthday():
    # The package lists February 15 for New York; it is a commemoration, not a day the office closes.
    assert is_business_day(date(2022, 2, 15))  # a Tuesday
    assert is_business_day(date(2028, 2, 15))
    assert not is_business_day(date(2027, 2, 15))  # Washington's Birthday that year: closed all the same


def test_lincolns_birthday_on_a_saturday_closes_the_friday_before():
    assert date(2022, 2, 11) in office_holidays(2022)
    assert not is_business_day(date(2022, 2, 11))


def test_the_2027_calendar_as_checked_by_hand():
    # Pinned so that a new version of the holidays package cannot move the office's days off unnoticed.
    assert sorted(office_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 1, 18),
        date(2027, 2, 12),
        date(2027, 2, 15),
        date(2027, 5, 31),
        date(2027, 6, 18),  # June 19 is a Saturday
        date(2027, 7, 5),  # July 4 is a Sunday
        date(2027, 9, 6),
        date(2027, 10, 11),
        date(2027, 11, 2),
        date(2027, 11, 11),
        date(2027, 11, 25),
        date(2027, 12, 24),  # Christmas is a Saturday
        date(2027, 12, 31),  # so is New Year's Day 2028
    ]


def test_legal_deadlines_never_read_the_office_calendar():
    # A limitation period is counted in calendar days (consultations/deadlines.py); the office's closing days
    # must never shorten or lengthen it.
    source = Path(deadlines.__file__).read_text()
    assert "business_days" not in source
    assert "import holidays" not in source

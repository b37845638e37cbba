"""Business days for intake: Monday to Friday, without the days the office is closed for a public holiday.

The calendar is the `holidays` package's United States calendar for the state of New York (the federal holidays
plus New York's Lincoln's Birthday and Election Day, General Construction Law § 24), as observed: a holiday on a
Saturday is taken on the Friday before, on a Sunday on the Monday after. That calendar also lists Susan B. Anthony
Day (February 15), a commemoration the state does not count as a public holiday (it is not in § 24's list), so the
office is open and we drop it. A new version of the package may move a date (a new holiday, a corrected rule):
`tests/consultations/test_business_days.py` pins the years we checked by hand.

This is the office's own calendar only. A request nobody has touched for more than one business day is "overdue"
(consultations/models/requests.py), and the morning digest goes out on business days (consultations/digest.py).
Legal deadlines never use it: consultations/deadlines.py counts calendar days and, on purpose, does not move a
date that falls on a weekend or holiday.
"""

import functools
from datetime import date, timedelta

import holidays
from django.utils import timezone

# Listed by the package for New York but not a day the state (or the office) closes.
NOT_CLOSED = ("Susan B. Anthony Day",)


@functools.cache
def office_holidays(year: int) -> frozenset[date]:
    """The weekdays in `year` the office is closed for a US federal or New York State public holiday, as observed
    (a weekend holiday gives a weekday off instead, e.g. New Year's Day 2028, a Saturday, closes December 31,
    2027)."""
    calendar = holidays.country_holidays("US", subdiv="NY", years=year, language="en_US")
    for name in NOT_CLOSED:
        if calendar.get_named(name, lookup="exact"):
            calendar.pop_named(name)  # a day that is also a real holiday keeps that one
    return frozenset(day for day in calendar if day.year == year and day.weekday() < 5)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in office_holidays(day.year)


def one_business_day_before(moment):
    """The same time of day on the business day before `moment` (in the site's time zone)."""
    local = timezone.localtime(moment) - timedelta(days=1)
    while not is_business_day(local.date()):
        local -= timedelta(days=1)
    return local


def business_days_between(start: date, end: date) -> int:
    """How many business days fall after `start`, up to and including `end` (0 when end <= start)."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_business_day(day)
        day += timedelta(days=1)
    return count

"""Business days for intake: Monday to Friday, without the public holidays the office closes on (the US federal
holidays and New York State's own two, Lincoln's Birthday and Election Day; General Construction Law § 24).

A request nobody has touched for more than one business day is "overdue" (consultations/models/requests.py), and the
morning digest goes out on business days only (consultations/digest.py).
"""

import functools
from datetime import date, timedelta

from django.utils import timezone

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A holiday on a Saturday is taken on the Friday before; on a Sunday, on the Monday after."""
    return day + {5: timedelta(days=-1), 6: timedelta(days=1)}.get(day.weekday(), timedelta(0))


@functools.cache
def holidays(year: int) -> frozenset[date]:
    """The days in `year` the office is closed: US federal holidays (5 U.S.C. 6103) and New York State public
    holidays (General Construction Law § 24), as observed."""
    days = {
        _observed(date(year, 1, 1)),
        _nth_weekday(year, 1, MONDAY, 3),  # Birthday of Martin Luther King, Jr.
        _observed(date(year, 2, 12)),  # Lincoln's Birthday (New York)
        _nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        _nth_weekday(year, 5, MONDAY, -1),  # Memorial Day
        _observed(date(year, 6, 19)),  # Juneteenth
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        _nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        _nth_weekday(year, 11, MONDAY, 1)
        + timedelta(days=1),  # Election Day (New York): Tuesday after the first Monday
        _observed(date(year, 11, 11)),  # Veterans Day
        _nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving
        _observed(date(year, 12, 25)),
        _observed(date(year + 1, 1, 1)),  # next New Year's Day, when a Saturday puts it on December 31
    }
    return frozenset(day for day in days if day.year == year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


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

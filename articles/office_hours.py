"""The firm's office hours as data (FIRM_OFFICE_HOURS, e.g. "Mon-Fri 09:00-18:00"), and their wording.

One setting feeds both the words shown on every page ("Monday to Friday, 9 am to 6 pm", "De lunes a viernes,
de 9 a. m. a 6 p. m.") and the consultation form's "best time to call" choices, so the form never offers a
time when nobody is in the office. FIRM_HOURS / FIRM_HOURS_ES, when set, replace the generated words only.
"""

import re
from dataclasses import dataclass
from datetime import time
from functools import cache

from django.conf import settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
PATTERN = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})\s*$",
    re.IGNORECASE,
)
NOON = time(12)
EVENING = time(17)


@dataclass(frozen=True)
class OfficeHours:
    first_day: int  # 0 = Monday
    last_day: int
    opens: time
    closes: time


def parse(value: str) -> OfficeHours | None:
    """ "Mon-Fri 09:00-18:00" -> OfficeHours; "" -> None (no hours shown). ValueError when malformed."""
    if not value.strip():
        return None
    match = PATTERN.match(value)
    if not match:
        raise ValueError('write the days and times like "Mon-Fri 09:00-18:00"')
    first, last = match["first"].lower(), (match["last"] or match["first"]).lower()
    if first not in DAYS or last not in DAYS:
        raise ValueError("days are Mon, Tue, Wed, Thu, Fri, Sat or Sun")
    opens, closes = (time.fromisoformat(match[key].zfill(5)) for key in ("opens", "closes"))
    if closes <= opens:
        raise ValueError("the closing time must come after the opening time")
    return OfficeHours(DAYS.index(first), DAYS.index(last), opens, closes)


@cache
def office_hours() -> OfficeHours | None:
    try:
        return parse(settings.FIRM_OFFICE_HOURS)
    except ValueError:
        return None  # lawsite's system check refuses to start with a malformed value


def clock(moment: time, language: str) -> str:
    """9 am, 5:30 pm, noon (English); 9 a. m., 5:30 p. m., mediodía (Spanish)."""
    if moment == NOON:
        return "mediodía" if language == "es" else "noon"
    hour = moment.hour % 12 or 12
    digits = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    if language == "es":
        return f"{digits} {'a. m.' if moment.hour < 12 else 'p. m.'}"
    return f"{digits} {'am' if moment.hour < 12 else 'pm'}"


def span(start: time, end: time, language: str) -> str:
    joiner = " a " if language == "es" else " to "
    return clock(start, language) + joiner + clock(end, language)


def words(language: str) -> str:
    """The office hours in a sentence, or "" when there are none."""
    hours = office_hours()
    if hours is None:
        return ""
    names = DAY_NAMES["es" if language == "es" else "en"]
    first, last = names[hours.first_day], names[hours.last_day]
    if language == "es":
        days = f"De {first} a {last}" if first != last else f"Los {first}"
        return f"{days}, de {span(hours.opens, hours.closes, 'es')}"
    days = f"{first} to {last}" if first != last else f"{first}s"
    return f"{days}, {span(hours.opens, hours.closes, 'en')}"


def call_windows() -> list[tuple[str, time, time]]:
    """The parts of the office day a visitor may ask to be called in ("morning", "afternoon", "evening"),
    each cut to the office's hours: a part the office is closed for is not offered."""
    hours = office_hours()
    if hours is None:
        return []
    parts = [("morning", time(0), NOON), ("afternoon", NOON, EVENING), ("evening", EVENING, time(23, 59))]
    windows = []
    for name, start, end in parts:
        start, end = max(start, hours.opens), min(end, hours.closes)
        if start < end:
            windows.append((name, start, end))
    return windows

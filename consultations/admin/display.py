"""How the triage admin shows a request: its fields, New York times, phone links and CSV cells."""

import re
from datetime import datetime

from django.utils import timezone

from consultations.forms import ConsultationRequestForm

# What the visitor typed: exactly the form's fields, shown read-only.
SUBMITTED_FIELDS = tuple(ConsultationRequestForm.Meta.fields)
# On the change page the phone number and email address are links: one click to call or write back. The
# practice area is shown as the visitor chose it (its label then), even if the area was renamed since.
LINKED = {"phone": "phone_link", "email": "email_link", "practice_area": "practice_area_label"}
SUBMITTED_DISPLAY = tuple(LINKED.get(name, name) for name in SUBMITTED_FIELDS)
METADATA_FIELDS = (
    "number",
    "received",
    "source_article",
    "disclaimer_version",
    "language",
    "user_agent",
    "spam_reason",
    "closed",
    "purged",
)
FLAG_FIELDS = ("is_notice_of_claim_risk", "is_limitation_close", "is_missing_callback")
CSV_COLUMNS = [
    ("number", "Request"),
    ("received_at", "Received"),
    ("get_status_display", "Status"),
    ("assignee", "Assignee"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("get_contact_method_display", "Contact by"),
    ("get_best_time_display", "Best time"),
    ("practice_area_label", "Practice area"),
    ("incident_date", "Incident date"),
    ("get_public_entity_display", "Public body involved"),
    ("flags", "Flags"),
    ("source_article_slug", "Source article"),
]


def csv_cell(value) -> str:
    """Text for a spreadsheet cell; a leading = + - @ would otherwise run as a formula. Times are New York
    time in ISO 8601 with the offset (2026-12-01T23:15:00-05:00), so a spreadsheet shows the right day."""
    if isinstance(value, list):
        value = "; ".join(value)
    elif isinstance(value, datetime):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def tel_href(phone: str) -> str:
    """A tap-to-call link: the digits (and a leading +), then any extension after a pause (a comma)."""
    number, *extension = re.split(r"(?i)ext\.?|x|#", phone, maxsplit=1)
    digits = re.sub(r"[^\d+]", "", number)
    extension = re.sub(r"\D", "", "".join(extension))
    return f"tel:{digits},{extension}" if extension else f"tel:{digits}"


def local_time(moment) -> str:
    """A time as staff read it: New York, with the zone (EST/EDT), e.g. "Dec 1, 2026, 11:15 PM EST"."""
    if moment is None:
        return "-"
    return f"{timezone.localtime(moment):%b %-d, %Y, %-I:%M %p %Z}"

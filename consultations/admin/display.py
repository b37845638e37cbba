"""How the triage admin shows a request: its fields, New York times, phone links and spreadsheet cells."""

import re
from datetime import datetime

from django.utils import timezone

from consultations.forms import ConsultationRequestForm

# What the visitor typed: exactly the form's fields, shown read-only.
SUBMITTED_FIELDS = tuple(ConsultationRequestForm.Meta.fields)
# On the change page the phone number and email address are links: one click to call or write back. The
# practice area (worked out from what happened and who) is shown with its name then, even if renamed since.
LINKED = {"phone": "phone_link", "email": "email_link"}
# What intake needs to answer, first on the page (on a phone, before anything else): urgency, then how to
# reach the visitor. The rest of what they sent follows the triage fields.
REACH_FIELDS = ("urgency_detail", "name", "phone_link", "email_link", "contact_method", "best_time")
SUBMITTED_DISPLAY = (
    *(LINKED.get(name, name) for name in SUBMITTED_FIELDS if LINKED.get(name, name) not in REACH_FIELDS),
    "practice_area_label",
)
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

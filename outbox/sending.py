"""Turn an outbox row into a message: the kind's builder (outbox/kinds.py) says what to send, this module adds
what every email has (sender, Message-ID, "Auto-Submitted") and renders the text and HTML templates.

Only fixed text goes into headers, besides addresses that passed ``safe_address``.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation

from outbox import kinds


class UnsendableEmail(ValueError):
    """The email cannot be built (e.g. no valid recipient); retrying will not help."""


def safe_address(value: str) -> str | None:
    """A bare, valid address with no characters that could start a new header, or None."""
    value = (value or "").strip()
    if not value or any(ch in value for ch in '\r\n\0<>,;"') or len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def message_id(email) -> str:
    """The same Message-ID on every attempt, so a copy sent twice after a crash can be recognised."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def build_message(email) -> EmailMultiAlternatives:
    """The message for this row, built now by its kind's builder."""
    kind = kinds.get(email.kind)
    if kind is None:
        raise UnsendableEmail(f"no app sends emails of kind {email.kind!r}")
    draft = kind.build(email)
    if not draft.to:
        raise UnsendableEmail("no recipients are configured")
    with translation.override(draft.language):
        text = render_to_string(f"{draft.template}.txt", draft.context)
        html = render_to_string(f"{draft.template}.html", draft.context)
    message = EmailMultiAlternatives(
        subject=draft.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=draft.to,
        reply_to=draft.reply_to,
        headers={"Message-ID": message_id(email), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message

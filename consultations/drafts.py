"""The answers typed so far, kept when a visitor switches the form's language (English ↔ Spanish).

The language switch on the form page is a button of the form itself: it posts what is typed to
`views.switch_language`, which keeps it here, in the visitor's session (stored in the database, server-side), and
redirects to the other language's form, which takes it back out to fill itself in. The answers never go into an
address (so never into a log line, a Referer header or browser history) and never into a cache: the form page
and the switch are not public pages and are sent no-store. The consent box is not carried over, since the notice
it acknowledges is a different text in the other language.
"""

from consultations.forms import ConsultationRequestForm
from consultations.models import ConsultationRequest

SESSION_KEY = "consultation_draft"
# Each answer kept, cut to at most the length the request can store (plus the hidden source article).
LIMITS = {
    **{
        name: ConsultationRequest._meta.get_field(name).max_length or 10
        for name in ConsultationRequestForm.Meta.fields
    },
    "article": 200,
}


def keep(request, data) -> None:
    """Store the posted answers (strings only, bounded) in the session; an empty form stores nothing."""
    draft = {}
    for name, limit in LIMITS.items():
        value = data.get(name, "")
        if isinstance(value, str) and value.strip():
            draft[name] = value[:limit]
    if draft:
        request.session[SESSION_KEY] = draft
    else:
        request.session.pop(SESSION_KEY, None)


def take(request) -> dict:
    """The kept answers, removed from the session as they are read: they fill in one page, once."""
    draft = request.session.pop(SESSION_KEY, None) if SESSION_KEY in request.session else None
    if not isinstance(draft, dict):
        return {}
    return {name: value for name, value in draft.items() if name in LIMITS and isinstance(value, str)}

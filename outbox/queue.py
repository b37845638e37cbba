"""Putting emails in the outbox: always inside the caller's transaction, so an email exists exactly when what
caused it was stored, and nothing is sent on the request path (the worker sends it after the commit)."""

from outbox import kinds
from outbox.models import OutboundEmail


def email(kind: str, *, source=None, **fields) -> OutboundEmail:
    """An unsaved row of a registered kind, linked to ``source`` (what it is about)."""
    if kinds.get(kind) is None:
        raise ValueError(f"no app registered the email kind {kind!r} (outbox.kinds.register)")
    row = OutboundEmail(kind=kind, **fields)
    if source is not None:
        row.source = source
    return row


def enqueue(kind: str, *, source=None, **fields) -> OutboundEmail:
    """Store one email to send (in the caller's transaction)."""
    row = email(kind, source=source, **fields)
    row.save()
    return row


def enqueue_once(rows: list[OutboundEmail]) -> int:
    """Store these emails, skipping any whose dedupe_key is already taken (by another worker, or an earlier
    run of the same job). Returns how many were offered."""
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def resend(emails) -> int:
    """Put these emails back in the queue for an immediate attempt with a fresh attempt count, in one
    UPDATE; rows a worker is sending right now are left alone. Returns how many were queued."""
    return emails.exclude(state=OutboundEmail.State.SENDING).update(**OutboundEmail.queued_now())

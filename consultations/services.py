"""Side effects of the consultation form: storing requests and queueing their emails."""

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles import compliance
from articles.i18n import Language
from consultations.emails import ASSIGNMENT, NOTIFICATIONS, VISITOR, notification_key
from consultations.models import ConsultationRequest
from outbox import queue
from outbox.models import OutboundEmail
from outbox.sending import safe_address

USER_AGENT_LENGTH = 200


class RateLimited(Exception):
    """This client has sent as many requests as the window allows."""


def hash_client_ip(ip: str) -> str:
    """A keyed hash: equal addresses match for rate limiting, but the address cannot be read back
    (a plain SHA-256 of an IPv4 address can be reversed by trying all 4 billion)."""
    if not ip:
        return ""
    return salted_hmac("consultations.client-ip", ip, algorithm="sha256").hexdigest()


def _lock_client(ip_hash: str) -> None:
    """Serialise submissions from one client across every app process until this transaction ends,
    so two simultaneous requests cannot both slip under the limit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [ip_hash])


def queue_notifications(consultation: ConsultationRequest, *, is_new: bool = False) -> list[OutboundEmail]:
    """The firm's notice and, when the visitor gave an email address, their confirmation, as outbox rows
    (idempotent per request)."""
    existing = set() if is_new else set(consultation.emails.values_list("kind", flat=True))
    kinds = [kind for kind in NOTIFICATIONS if kind != VISITOR or consultation.email]
    rows = [
        queue.email(kind, source=consultation, dedupe_key=notification_key(kind, consultation))
        for kind in kinds
        if kind not in existing
    ]
    return OutboundEmail.objects.bulk_create(rows)


def submit_consultation_request(
    *,
    answers: dict,
    article_slug: str,
    client_ip: str,
    user_agent: str,
    spam_reason: str,
    language: str = Language.ENGLISH,
    form_token_id: str = "",
) -> ConsultationRequest:
    """Store one request and, unless it looks like spam, its two emails, all in one transaction.

    ``language`` is the form's: it picks the disclaimer version stored and the visitor email's language.

    Nothing is sent here: the outbox worker picks the rows up once the transaction has committed.
    Raises RateLimited (and stores nothing) when the client is over the limit.
    """
    ip_hash = hash_client_ip(client_ip)
    now = timezone.now()
    fields = {
        "answers": answers,
        "article_slug": article_slug,
        "ip_hash": ip_hash,
        "user_agent": user_agent,
        "language": language,
        "now": now,
    }
    try:
        return _store(**fields, spam_reason=spam_reason, form_token_id=form_token_id)
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") != FORM_TOKEN_CONSTRAINT:
            raise
    # The same showing of the form was sent before (a script replaying one token; the unique constraint
    # decides, so a simultaneous replay cannot slip through): kept, flagged, no email.
    return _store(**fields, spam_reason=ConsultationRequest.SpamReason.REUSED_TOKEN, form_token_id="")


FORM_TOKEN_CONSTRAINT = "consult_form_token_used_once"  # noqa: S105 (a constraint name, not a secret)


def _store(
    *, answers, article_slug, ip_hash, user_agent, language, now, spam_reason, form_token_id
) -> ConsultationRequest:
    with transaction.atomic():
        if ip_hash:
            _lock_client(ip_hash)
            recent = ConsultationRequest.objects.recent_from(
                ip_hash, since=now - settings.CONSULTATION_RATE_WINDOW
            ).count()
            if recent >= settings.CONSULTATION_RATE_LIMIT:
                raise RateLimited
        consultation = ConsultationRequest(
            **answers,
            form_token_id=form_token_id,
            source_article_slug=article_slug,
            disclaimer_version=compliance.wording(language)["form_disclaimer_version"],
            language=language,
            received_at=now,
            ip_hash=ip_hash,
            user_agent=user_agent[:USER_AGENT_LENGTH],
            status=ConsultationRequest.Status.SPAM if spam_reason else ConsultationRequest.Status.NEW,
            spam_reason=spam_reason,
        )
        consultation.save()
        if not spam_reason:
            queue_notifications(consultation, is_new=True)
    return consultation


def mark_not_spam(consultation: ConsultationRequest) -> bool:
    """Staff say a flagged request is genuine: it becomes new and its emails are queued now."""
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        if locked.status != ConsultationRequest.Status.SPAM:
            return False
        locked.status = ConsultationRequest.Status.NEW
        locked.save()
        queue_notifications(locked)
    return True


def queue_assignment_email(*, consultation: ConsultationRequest, assignee) -> OutboundEmail | None:
    """Tell a newly assigned staff member, through the outbox: a link, no personal details. None when they
    have no usable email address (the caller says so to whoever assigned them)."""
    if not safe_address(assignee.email):
        return None
    return queue.enqueue(ASSIGNMENT, source=consultation, recipient=assignee)

"""The emails the consultations app sends, through the outbox (outbox/), built from templates (plain text +
HTML) when they are sent:

- ``firm``: a new request, to FIRM_INTAKE_EMAILS (number, name, callback details, urgency; never the
  description);
- ``visitor``: the confirmation, in the language of the form the visitor sent;
- ``digest``: the morning digest of open requests (consultations/digest.py queues it);
- ``assignment``: to a staff member a request was assigned to (a link, no personal details).

Only fixed text goes into headers. The single exception is the firm email's Reply-To, which holds the
visitor's address after it has been validated again here.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles.context_processors import site_context
from articles.i18n import Language
from articles.models import Article
from consultations import deadlines, urgency
from consultations.digest import DIGEST, digest_sections
from consultations.models import ConsultationRequest, DigestRun
from outbox import kinds
from outbox.sending import UnsendableEmail, safe_address

FIRM = "firm"
VISITOR = "visitor"
ASSIGNMENT = "assignment"
# The notifications of a new request: at most one of each per request (their dedupe keys).
NOTIFICATIONS = (FIRM, VISITOR)


def notification_key(kind: str, consultation: ConsultationRequest) -> str:
    return f"{kind}:{consultation.pk}"


def _article_url(slug: str, language: str) -> str:
    if not slug:
        return ""
    try:
        with translation.override(language):  # a Spanish form names a Spanish article
            return settings.SITE_URL + reverse("articles:detail", args=[slug])
    except NoReverseMatch:  # the articles app has no detail page (yet)
        return ""


def _article_title(slug: str) -> str:
    """The source article's title, read when the email is built (so a later rename shows); the slug if the
    article is gone."""
    if not slug:
        return ""
    return Article.objects.filter(slug=slug).values_list("title", flat=True).first() or slug


def _consultation(row) -> ConsultationRequest:
    return ConsultationRequest.objects.select_related("practice_area").get(pk=row.object_id)


def _draft(row, *, to, subject, language=Language.ENGLISH, reply_to=(), **context) -> kinds.Draft:
    return kinds.Draft(
        to=list(to),
        subject=subject,
        template=f"consultations/email/{row.kind}",
        context={**site_context(language), "email": row, **context},
        reply_to=list(reply_to),
        language=language,
    )


def firm_subject(consultation: ConsultationRequest) -> str:
    """E.g. "Notice of claim due in ~N days — R-000002" (N from the table): the urgency first, so the inbox sorts itself; words
    from the time-limits table and the number only, nothing the visitor wrote, on one line."""
    words = " ".join(urgency.headline(consultation).split()) or "New consultation request"
    return f"{words} — {consultation.number}"


def build_firm(row) -> kinds.Draft:
    consultation = _consultation(row)
    address = safe_address(consultation.email)
    return _draft(
        row,
        to=settings.FIRM_INTAKE_EMAILS,
        subject=firm_subject(consultation),
        reply_to=[address] if address else [],
        consultation=consultation,
        admin_url=settings.SITE_URL + consultation.get_admin_url(),
        article_url=_article_url(consultation.source_article_slug, consultation.language),
        article_title=_article_title(consultation.source_article_slug),
        prefers_spanish=consultation.language == Language.SPANISH,
        urgency=consultation.urgency(),
        estimates=[deadlines.long_wording(estimate) for estimate in consultation.deadline_estimates()],
        confirm=deadlines.CONFIRM,
    )


def build_visitor(row) -> kinds.Draft:
    """Written in the language of the form they sent (/es/consulta/ gives Spanish)."""
    consultation = _consultation(row)
    address = safe_address(consultation.email)
    if not address:
        raise UnsendableEmail("the visitor's address is missing or not valid")
    language = consultation.language
    with translation.override(language):
        subject = _("We have your request - %(firm)s") % {"firm": settings.FIRM["name"]}
    context = site_context(language)
    return _draft(
        row,
        to=[address],
        subject=subject,
        language=language,
        consultation=consultation,
        disclaimer=context["compliance"]["after_sending_reminder"],
        # Worked out when the email is built, from the stored request and the public time-limits table.
        notices=consultation.visitor_notices(),
    )


def build_digest(row) -> kinds.Draft:
    """Built when sent, so a retry lists what is open then."""
    run = DigestRun.objects.get(pk=row.object_id)
    sections, more = digest_sections()
    count = sum(len(lines) for _, lines in sections) + more
    day = run.date
    return _draft(
        row,
        to=settings.FIRM_INTAKE_EMAILS,
        subject=f"Intake digest {day:%a %b} {day.day}: {count} open request{'s' if count != 1 else ''}",
        day=day,
        sections=sections,
        more=more,
        list_url=settings.SITE_URL + reverse("admin:consultations_consultationrequest_changelist"),
    )


def build_assignment(row) -> kinds.Draft:
    consultation = _consultation(row)
    address = safe_address(row.recipient.email) if row.recipient_id else None
    if not address:
        raise UnsendableEmail("the assignee has no valid email address")
    return _draft(
        row,
        to=[address],
        subject=f"Request {consultation.number} is assigned to you",
        consultation=consultation,
        admin_url=settings.SITE_URL + consultation.get_admin_url(),
    )


def describe_request(row) -> str:
    """The request's number: enough to find it, nothing personal."""
    number = ConsultationRequest.objects.filter(pk=row.object_id).values_list("pk", flat=True).first()
    return f"Request {ConsultationRequest(pk=number).number}" if number else "a deleted request"


def describe_digest(row) -> str:
    day = DigestRun.objects.filter(pk=row.object_id).values_list("date", flat=True).first()
    return f"Digest for {day:%a %b %-d, %Y}" if day else "a morning digest"


def register() -> None:
    """Called from ConsultationsConfig.ready()."""
    kinds.register(
        FIRM,
        label="New request, to the firm",
        build=build_firm,
        describe=describe_request,
        alert_note="The request itself is stored safely; please look at it in the admin today.",
    )
    kinds.register(
        VISITOR, label="Confirmation, to the visitor", build=build_visitor, describe=describe_request
    )
    kinds.register(DIGEST, label="Morning digest, to intake", build=build_digest, describe=describe_digest)
    kinds.register(
        ASSIGNMENT, label="Assignment, to the assignee", build=build_assignment, describe=describe_request
    )

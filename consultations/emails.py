"""Build the outbox's emails from templates (plain text + HTML).

Only fixed text goes into headers. The single exception is the firm email's Reply-To, which holds the
visitor's address after it has been validated again here.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles.approval import what_waits
from articles.context_processors import site_context
from articles.i18n import Language
from articles.models import Article, Person
from consultations import deadlines
from consultations.digest import digest_sections
from consultations.models import OutboundEmail


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


def _message_id(email: OutboundEmail) -> str:
    """The same Message-ID on every attempt, so a copy sent twice after a crash can be recognised."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def _attorney_addresses(people) -> list[str]:
    return [address for person in people if (address := safe_address(person.user.email))]


def _article_email(email: OutboundEmail, context: dict) -> tuple[list[str], str]:
    """Recipients and subject of an approval request (every attorney who may approve) or a review
    reminder (the reviewing attorney, or every approver when that attorney has no usable account)."""
    article = email.article
    title = " ".join(article.title.split())[:100]  # staff-entered: one line, no header injection
    context.update(
        article=article,
        admin_url=settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
    )
    approvers = Person.objects.approvers().select_related("user")
    if email.kind == OutboundEmail.Kind.APPROVAL:
        # The approval screen itself: the rendered text and what changed, with the one button that approves.
        context["approve_url"] = settings.SITE_URL + reverse(
            "admin:articles_article_approve", args=[article.pk]
        )
        context["what_waits"] = what_waits(article)
        return _attorney_addresses(approvers), f"Waiting for your approval: {title}"
    reviewer = article.reviewed_by
    to = _attorney_addresses([reviewer]) if reviewer and reviewer.can_approve else []
    return to or _attorney_addresses(approvers), f"Legal review due: {title}"


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The email for this outbox row. The visitor's confirmation is written in the language of the form
    they sent (/es/consulta/ gives Spanish); the firm's notice and alerts are always English."""
    language = Language.ENGLISH
    if email.kind == OutboundEmail.Kind.VISITOR:
        language = email.consultation.language
    with translation.override(language):
        return _build_message(email, language)


def _build_message(email: OutboundEmail, language: str) -> EmailMultiAlternatives:
    consultation = email.consultation
    context = {**site_context(language), "email": email, "consultation": consultation}
    reply_to = []
    if email.kind == OutboundEmail.Kind.FIRM:
        to = list(settings.FIRM_INTAKE_EMAILS)
        subject = f"New consultation request {consultation.number}"
        context.update(
            admin_url=settings.SITE_URL + consultation.get_admin_url(),
            article_url=_article_url(consultation.source_article_slug, consultation.language),
            article_title=_article_title(consultation.source_article_slug),
            prefers_spanish=consultation.language == Language.SPANISH,
            urgency=consultation.urgency(),
            estimates=consultation.deadline_estimates(),
            confirm=deadlines.CONFIRM,
        )
        if address := safe_address(consultation.email):
            reply_to = [address]
    elif email.kind == OutboundEmail.Kind.VISITOR:
        address = safe_address(consultation.email)
        if not address:
            raise UnsendableEmail("the visitor's address is missing or not valid")
        to = [address]
        subject = _("We have your request - %(firm)s") % {"firm": settings.FIRM["name"]}
        context["disclaimer"] = context["compliance"]["after_sending_reminder"]
    elif email.kind == OutboundEmail.Kind.DIGEST:
        # Built when sent, so a retry lists what is open then.
        to = list(settings.FIRM_INTAKE_EMAILS)
        sections, more = digest_sections()
        count = sum(len(lines) for _, lines in sections) + more
        day = email.digest_run.date
        subject = f"Intake digest {day:%a %b} {day.day}: {count} open request{'s' if count != 1 else ''}"
        context.update(
            day=day,
            sections=sections,
            more=more,
            list_url=settings.SITE_URL + reverse("admin:consultations_consultationrequest_changelist"),
        )
    elif email.kind == OutboundEmail.Kind.ASSIGNMENT:
        address = safe_address(email.recipient.email)
        if not address:
            raise UnsendableEmail("the assignee has no valid email address")
        to = [address]
        subject = f"Request {consultation.number} is assigned to you"
        context["admin_url"] = settings.SITE_URL + consultation.get_admin_url()
    elif email.kind in OutboundEmail.ARTICLE_KINDS:
        to, subject = _article_email(email, context)
    else:
        failed = email.about
        to = list(settings.FIRM_ALERT_EMAILS)
        subject = f"Email not delivered: {failed.get_kind_display()}"
        context.update(
            failed=failed,
            failed_url=settings.SITE_URL
            + reverse("admin:consultations_outboundemail_change", args=[failed.pk]),
        )
    if not to:
        raise UnsendableEmail("no recipients are configured")
    template = f"consultations/email/{email.kind}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers={"Message-ID": _message_id(email), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message

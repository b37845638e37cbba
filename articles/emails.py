"""The emails the articles app sends to attorneys, through the outbox (outbox/), and the jobs that queue them:

- an approval request: one email to every attorney who may approve, for each text that waits for approval,
  of every kind (an article, a person's profile, a practice area, a time limit; articles/waiting.py): a new
  edit, a new email;
- a review reminder: when a live article's legal review is more than 11 months old, to its reviewing attorney
  (or every approver when that attorney has no usable account), once and then every 7 days until a new review
  date is saved.

The admin queues an approval request with the save that makes something wait (``queue_approval_request``,
in the save's transaction); the outbox worker runs ``queue_approval_requests`` (the net for saves made
elsewhere) and ``queue_review_reminders`` (settings.OUTBOX_JOBS). All are idempotent and safe with several workers: each email carries a ``dedupe_key``, unique in the database.
The messages are built when sent (``build_*``), from the article as it is then.
"""

import calendar
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.approval import what_waits
from articles.context_processors import site_context
from articles.i18n import Language
from articles.models import Article, Person, drafts_of
from articles.waiting import (
    approve_url,
    awaiting,
    dedupe_key,
    in_plain_words,
    one_line,
    waiting_hash,
    waiting_with_hashes,
)
from outbox import kinds
from outbox.models import OutboundEmail
from outbox.queue import email, enqueue_once
from outbox.sending import safe_address

APPROVAL = "approval"
REVIEW = "review"
REVIEW_REMINDER_MONTHS = 11
REMINDER_EVERY_DAYS = 7


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def queue_approval_requests() -> int:
    """One email to the attorneys for each text that waits for approval, of every kind (a new edit, a new
    email): the net for saves made outside the admin (articles/waiting.py says what it covers)."""
    rows = [
        email(APPROVAL, source=obj, dedupe_key=dedupe_key(obj, text_hash))
        for obj, text_hash in waiting_with_hashes()
    ]
    return enqueue_once(rows)  # one per text, however many workers


def queue_approval_request(obj) -> int:
    """The approval request for what of ``obj`` waits, if anything does, in the caller's transaction: the
    admin queues it with the save that made it wait (the job above is the net for other saves)."""
    model = type(obj)
    row = awaiting(model).filter(pk=obj.pk).first()
    if row is None:
        return 0
    drafts = dict(drafts_of(model).filter(object_id=row.pk).values_list("object_id", "content_hash"))
    return enqueue_once([email(APPROVAL, source=row, dedupe_key=dedupe_key(row, waiting_hash(row, drafts)))])


def queue_review_reminders(today: date | None = None) -> int:
    """Remind reviewing attorneys of live articles reviewed more than 11 months ago: once, then every
    7 days after the previous reminder, until a new review date is saved."""
    today = today or timezone.localdate()
    cutoff = months_before(today, REVIEW_REMINDER_MONTHS)
    stale = list(
        Article.objects.published().filter(last_reviewed_on__lt=cutoff).only("pk", "last_reviewed_on")
    )
    previous = {}  # (article, review date) -> (how many reminders so far, the day of the latest)
    for key, created_at in OutboundEmail.objects.filter(kind=REVIEW, article__in=stale).values_list(
        "dedupe_key", "created_at"
    ):
        _, article_id, reviewed_on, number = key.split(":")
        known = previous.get((article_id, reviewed_on))
        if known is None or int(number) >= known[0]:
            previous[(article_id, reviewed_on)] = (int(number) + 1, timezone.localdate(created_at))
    rows = []
    for article in stale:
        count, last_day = previous.get((str(article.pk), article.last_reviewed_on.isoformat()), (0, None))
        if last_day is not None and (today - last_day).days < REMINDER_EVERY_DAYS:
            continue
        rows.append(
            email(
                REVIEW,
                source=article,
                created_at=timezone.now(),
                dedupe_key=f"review:{article.pk}:{article.last_reviewed_on.isoformat()}:{count}",
            )
        )
    return enqueue_once(rows)


def _attorney_addresses(people) -> list[str]:
    return [address for person in people if (address := safe_address(person.user.email))]


def _article(row) -> Article:
    return Article.objects.select_related("reviewed_by__user").get(pk=row.object_id)


def _draft(row, article: Article, to: list[str], subject: str) -> kinds.Draft:
    context = {
        **site_context(Language.ENGLISH),
        "email": row,
        "article": article,
        "admin_url": settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
    }
    return kinds.Draft(to=to, subject=subject, template=f"articles/email/{row.kind}", context=context)


def _title(article: Article) -> str:
    return one_line(article.title)  # staff-entered: one line, no header injection


def build_approval_request(row) -> kinds.Draft:
    """To every attorney who may approve, with a link to the approval screen itself: the rendered text and what
    changed, with the one button that approves. Built from the object as it is when sent."""
    approvers = _attorney_addresses(Person.objects.approvers().select_related("user"))
    if row.content_type.model_class() is not Article:
        obj = row.source
        if obj is None:
            raise ValueError(f"{row.content_type} {row.object_id} no longer exists")
        what = in_plain_words(obj)
        context = {
            **site_context(Language.ENGLISH),
            "email": row,
            "what": what,
            "is_new": obj.approved_version_id is None,
            "approve_url": approve_url(obj),
        }
        subject = f"Waiting for your approval: {what[0].upper()}{what[1:]}"
        template = f"articles/email/{row.kind}_other"
        return kinds.Draft(to=approvers, subject=subject, template=template, context=context)
    article = _article(row)
    draft = _draft(row, article, approvers, f"Waiting for your approval: {_title(article)}")
    draft.context["approve_url"] = approve_url(article)
    draft.context["what_waits"] = what_waits(article)
    return draft


def build_review_reminder(row) -> kinds.Draft:
    """To the reviewing attorney, or every approver when that attorney has no usable account."""
    article = _article(row)
    reviewer = article.reviewed_by
    to = _attorney_addresses([reviewer]) if reviewer and reviewer.can_approve else []
    if not to:
        to = _attorney_addresses(Person.objects.approvers().select_related("user"))
    return _draft(row, article, to, f"Legal review due: {_title(article)}")


def describe(row) -> str:
    if row.content_type_id and row.content_type.model_class() is not Article:
        obj = row.source
        return in_plain_words(obj).capitalize() if obj else f"{row.content_type} {row.object_id} (deleted)"
    title = Article.objects.filter(pk=row.object_id).values_list("title", flat=True).first()
    return f"Article “{title}”" if title else f"Article {row.object_id} (deleted)"


def register() -> None:
    """Called from ArticlesConfig.ready()."""
    kinds.register(
        APPROVAL,
        label="Text awaiting approval (any kind), to the attorneys",
        build=build_approval_request,
        describe=describe,
    )
    kinds.register(
        REVIEW,
        label="Legal review due, to the reviewing attorney",
        build=build_review_reminder,
        describe=describe,
    )

"""The emails the articles app sends to attorneys, through the outbox (outbox/), and the jobs that queue them:

- an approval request: one email to every attorney who may approve, for each article text that waits for
  approval (a new edit, a new email);
- a review reminder: when a live article's legal review is more than 11 months old, to its reviewing attorney
  (or every approver when that attorney has no usable account), once and then every 7 days until a new review
  date is saved.

The outbox worker runs ``queue_approval_requests`` and ``queue_review_reminders`` (settings.OUTBOX_JOBS).
Both are idempotent and safe with several workers: each email carries a ``dedupe_key``, unique in the database.
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
    """One email to the attorneys for each text that waits for approval (a new edit, a new email)."""
    drafts = dict(drafts_of(Article).values_list("object_id", "content_hash"))
    rows = [
        email(
            APPROVAL,
            source=article,
            dedupe_key=f"approval:{article.pk}:{drafts.get(article.pk, article.content_hash)}",
        )
        for article in Article.objects.awaiting_approval().only("pk", "content_hash")
    ]
    return enqueue_once(rows)  # one per text, however many workers


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
    return " ".join(article.title.split())[:100]  # staff-entered: one line, no header injection


def build_approval_request(row) -> kinds.Draft:
    """To every attorney who may approve, with a link to the approval screen itself: the rendered text and what
    changed, with the one button that approves."""
    article = _article(row)
    approvers = Person.objects.approvers().select_related("user")
    draft = _draft(
        row, article, _attorney_addresses(approvers), f"Waiting for your approval: {_title(article)}"
    )
    draft.context["approve_url"] = settings.SITE_URL + reverse(
        "admin:articles_article_approve", args=[article.pk]
    )
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
    title = Article.objects.filter(pk=row.object_id).values_list("title", flat=True).first()
    return f"Article “{title}”" if title else f"Article {row.object_id} (deleted)"


def register() -> None:
    """Called from ArticlesConfig.ready()."""
    kinds.register(
        APPROVAL,
        label="Article awaiting approval, to the attorneys",
        build=build_approval_request,
        describe=describe,
    )
    kinds.register(
        REVIEW,
        label="Legal review due, to the reviewing attorney",
        build=build_review_reminder,
        describe=describe,
    )

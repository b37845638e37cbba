"""Attorney approval of what goes live (New York Rule 7.1(k): advertising is approved by a lawyer).

An article is public only with an approval (``Article.objects.published()``). An approval records the
signed-in user who approved, the attorney's name as it was, when, a sha256 of the exact rendered text
(``approval_hash``) and a copy of that text: after an edit the article "awaits approval" and readers keep
seeing the approved copy until an attorney approves the new text.

An approval binds to what the attorney was shown: the approval screen (articles/admin/approval_screen.py)
shows the rendered text and the words changed since the approved version, and its form carries the hash
of that text. ``approve_article`` checks it again under a lock on the article, so an edit saved after the
screen was opened is never approved unseen.

Only an attorney ``Person`` linked to an active staff account may approve (``Person.can_approve``); only
superusers set a person's role or linked account (articles/admin/people.py). An attorney who edited the
text may not approve it unless APPROVAL_ALLOW_SELF is on (a single-attorney firm), and the record says so.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleApproval, Person

STALE_MESSAGE = (
    "Not approved: the text changed after you opened this page (someone saved an edit), so nothing went "
    "live. The current text is below: read it, and approve it if it is right."
)


class StaleApproval(ValidationError):
    """The text is no longer the one the attorney was shown."""


def approver_for(user) -> Person | None:
    """The attorney behind a signed-in staff user, or None when that user may not approve."""
    if not (user and user.is_authenticated):
        return None
    person = Person.objects.filter(user=user).select_related("user").first()
    return person if person and person.can_approve else None


def editors_since_approval(article: Article) -> set[int]:
    """Ids of the users who saved a revision of the article since its text was last approved (all its
    revisions when it never was)."""
    revisions = article.history.exclude(history_user_id=None)
    approval = article.approved_version if article.approved_version_id else None
    if approval is not None:
        revisions = revisions.filter(history_date__gt=approval.approved_at)
    return set(revisions.values_list("history_user_id", flat=True))


def record_approval(
    *,
    article: Article,
    approved_by: Person,
    note: str = "",
    approved_at=None,
    user=None,
    shown_hash: str | None = None,
    is_self_approval: bool = False,
) -> ArticleApproval:
    """Record that ``approved_by`` approved the article's current text, and make that text the live one.

    With ``shown_hash`` the current text must still be the one shown (checked under a row lock), or
    StaleApproval is raised and nothing changes. Callers check who may approve (``approve_article`` for
    people; the demo loader for sample content). Approving the text already approved returns that approval.
    """
    with transaction.atomic():
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("approved_version")
            .get(pk=article.pk)
        )
        if shown_hash is not None and current.content_hash != shown_hash:
            raise StaleApproval(STALE_MESSAGE, code="stale")
        if not (current.reviewed_by_id and current.last_reviewed_on):
            raise ValidationError("Fill in the reviewing attorney and the review date before approving.")
        if current.is_approved:
            return current.approved_version
        approval = ArticleApproval.objects.create(
            article=current,
            approved_by=approved_by,
            approved_by_user=user,
            approver_name=approved_by.name,
            is_self_approval=is_self_approval,
            approved_at=approved_at or timezone.now(),
            content_hash=current.content_hash,
            note=note,
            title=current.title,
            summary=current.summary,
            body_html=current.body_html,
            toc=current.toc,
            reading_minutes=current.reading_minutes,
            reviewed_by_id=current.reviewed_by_id,
            last_reviewed_on=current.last_reviewed_on,
            text_updated_at=current.updated_at,
        )
        # update(): no new revision in the history and no re-render; the approval row's own save has
        # already told the page cache (ArticleApproval.changes_public_pages).
        Article.objects.filter(pk=current.pk).update(approved_version=approval)
    article.approved_version = approval
    return approval


def approve_article(*, article: Article, user, shown_hash: str) -> ArticleApproval:
    """An attorney approves the text they were shown (``shown_hash``, from the approval screen).

    Anyone else is refused (PermissionDenied), as is an attorney who edited this text since its last
    approval unless APPROVAL_ALLOW_SELF is on; a text changed since it was shown raises StaleApproval.
    """
    person = approver_for(user)
    if person is None:
        raise PermissionDenied(
            "Only an attorney with a staff account linked to their profile (People) can approve articles."
        )
    edited_it = user.pk in editors_since_approval(article)
    if edited_it and not settings.APPROVAL_ALLOW_SELF:
        raise PermissionDenied(
            "You edited this text yourself, so another attorney must approve it. (A firm with a single "
            "attorney can allow self-approval with the APPROVAL_ALLOW_SELF setting.)"
        )
    return record_approval(
        article=article, approved_by=person, user=user, shown_hash=shown_hash, is_self_approval=edited_it
    )


def what_waits(article: Article) -> str:
    """What is waiting, in plain words (the screen and the email say the same)."""
    when = (
        timezone.localtime(article.published_at).strftime("%B %-d, %Y, %-I:%M %p %Z")
        if article.published_at
        else ""
    )
    if article.approved_version_id and article.status == Article.Status.PUBLISHED:
        if article.published_at and article.published_at <= timezone.now():
            return "A change to a live article. Readers see the approved version until this is approved."
        return f"A change to an approved article that goes live on {when}."
    if article.status == Article.Status.PUBLISHED:
        if article.published_at and article.published_at <= timezone.now():
            return "A new article, set to go live now: it appears as soon as it is approved."
        return f"A new article, to go live on {when} once approved."
    return "A draft, not set to publish yet. Approving it now lets it go live when it is published."

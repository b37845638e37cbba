"""Attorney approval of what goes live (New York Rule 7.1(k): advertising is approved by a lawyer).

An article is public only with an approval (``Article.objects.published()``). An approval records who
approved, when, and a sha256 of the exact rendered text (``approval_hash``), and keeps a copy of that
text: after an edit the article "awaits approval" and readers keep seeing the approved copy until an
attorney approves the new text. Only an attorney ``Person`` linked to an active staff account may
approve (``Person.can_approve``); other staff, superusers included, may not.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleApproval, Person


def approver_for(user) -> Person | None:
    """The attorney behind a signed-in staff user, or None when that user may not approve."""
    if not (user and user.is_authenticated):
        return None
    person = Person.objects.filter(user=user).select_related("user").first()
    return person if person and person.can_approve else None


def record_approval(
    *, article: Article, approved_by: Person, note: str = "", approved_at=None
) -> ArticleApproval:
    """Record that ``approved_by`` approved the article's current text, and make that text the live one.

    Callers check who may approve (``approve_article`` for people; the demo loader for sample content).
    Approving a text that is already the approved one returns the existing approval.
    """
    with transaction.atomic():
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("approved_version")
            .get(pk=article.pk)
        )
        if not (current.reviewed_by_id and current.last_reviewed_on):
            raise ValidationError("Fill in the reviewing attorney and the review date before approving.")
        if current.is_approved:
            return current.approved_version
        approval = ArticleApproval.objects.create(
            article=current,
            approved_by=approved_by,
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


def approve_article(*, article: Article, user) -> ArticleApproval:
    """An attorney approves the article's current text. Anyone else is refused."""
    person = approver_for(user)
    if person is None:
        raise PermissionDenied(
            "Only an attorney with a staff account linked to their profile (People) can approve articles."
        )
    return record_approval(article=article, approved_by=person)

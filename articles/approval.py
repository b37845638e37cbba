"""Attorney approval of what goes live (New York Rule 7.1(k): advertising is approved by a lawyer).

One mechanism for every kind of approved content (articles/models/approval.py): the public row holds the
approved values and an edit waits in a ``Draft``. Approving records an ``Approval`` (the signed-in user who
approved, the attorney's name as it was, when, a sha256 of exactly the values shown, and those values) and
copies the values onto the row, so readers get them everywhere at once.

An approval binds to what the attorney was shown: the approval screen (articles/admin/approval_screen.py)
shows the rendered text and the words changed since the approved version, and its form carries the hash
of that text. ``approve`` checks it again under a lock on the row, so an edit saved after the screen was
opened is never approved unseen.

Only an attorney ``Person`` linked to an active staff account may approve (``Person.can_approve``); only
superusers set a person's role or linked account (articles/admin/people.py). An attorney who edited the
text may not approve it unless APPROVAL_ALLOW_SELF is on (a single-attorney firm), and the record says so.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Approval, Article, Draft, Person
from articles.models.approved_content import dump_field

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


def editors_since_approval(obj) -> set[int]:
    """Ids of the users who saved a revision of the object since it was last approved (all its revisions
    when it never was)."""
    revisions = obj.history.exclude(history_user_id=None)
    approval = obj.approved_version if obj.approved_version_id else None
    if approval is not None:
        revisions = revisions.filter(history_date__gt=approval.approved_at)
    return set(revisions.values_list("history_user_id", flat=True))


def record_approval(
    *,
    obj,
    approved_by: Person | None,
    note: str = "",
    approved_at=None,
    user=None,
    shown_hash: str | None = None,
    is_self_approval: bool = False,
    approver_name: str | None = None,
) -> Approval:
    """Record that ``approved_by`` approved the object's proposed values (its draft, or the row itself
    when it was never approved) and copy them onto the row, making them the ones readers see.

    With ``shown_hash`` the proposed values must still be the ones shown (checked under a row lock), or
    StaleApproval is raised and nothing changes. Callers check who may approve (``approve`` for people;
    the demo loader and the migrations for sample content). With nothing waiting, returns the approval.
    """
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
        stored_hash = getattr(current, "content_hash", None)
        content_type = ContentType.objects.get_for_model(model)
        draft = Draft.objects.select_for_update().filter(content_type=content_type, object_id=obj.pk).first()
        current.__dict__["pending_draft"] = draft
        proposed = current.proposed() if draft is not None else current
        if draft is None:
            proposed.prepare_proposed()
        if shown_hash is not None and proposed.proposed_hash() != shown_hash:
            raise StaleApproval(STALE_MESSAGE, code="stale")
        if isinstance(current, Article) and not (proposed.reviewed_by_id and proposed.last_reviewed_on):
            raise ValidationError("Fill in the reviewing attorney and the review date before approving.")
        if draft is None and current.approved_version_id is not None:
            return current.approved_version
        before = {name: dump_field(current, name) for name in model.APPROVED_FIELDS}
        if draft is not None:
            for name in model.APPROVED_FIELDS:
                setattr(
                    current,
                    current._meta.get_field(name).attname,
                    getattr(proposed, current._meta.get_field(name).attname),
                )
        if draft is not None or stored_hash != proposed.proposed_hash():
            current._applying_approval = True
            current.save()  # re-renders, re-indexes for search, and keeps a revision in the history
            current._applying_approval = False
        current.prepare_proposed()
        approval = Approval.objects.create(
            content_type=content_type,
            object_id=current.pk,
            approved_by=approved_by,
            approved_by_user=user,
            approver_name=approver_name
            if approver_name is not None
            else (approved_by.name if approved_by else ""),
            is_self_approval=is_self_approval,
            approved_at=approved_at or timezone.now(),
            content_hash=proposed.proposed_hash(),
            note=note,
            data=current.approved_record(),
        )
        if draft is not None:
            draft.delete()
            current.replaced_approved(before)
        # update(): no second revision; the approval row's own save has told the page cache.
        model.objects.filter(pk=current.pk).update(approved_version=approval)
    obj.refresh_from_db()
    obj.__dict__.pop("pending_draft", None)
    return approval


def record_rerendering(*, obj, approved_by: Person, user=None, note: str) -> Approval | None:
    """Re-render the row with its approved values (what it quotes changed, e.g. a time limit's newly
    approved wording). For an approved row whose rendering changed, record the approval that covers the
    new rendering (the caller's approval of what it quotes); its waiting draft, if any, keeps waiting."""
    with transaction.atomic():
        current = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk)
        before = current.proposed_hash() if current.approved_version_id else None
        current._applying_approval = True
        current.save()
        current._applying_approval = False
        if before is None or current.proposed_hash() == before:
            return None
        approval = Approval.objects.create(
            content_type=ContentType.objects.get_for_model(current),
            object_id=current.pk,
            approved_by=approved_by,
            approved_by_user=user,
            approver_name=approved_by.name,
            content_hash=current.proposed_hash(),
            note=note,
            data=current.approved_record(),
        )
        type(obj).objects.filter(pk=current.pk).update(approved_version=approval)
    return approval


def record_rule_approval(rule, *, user=None, name: str, note: str = "", shown_hash: str) -> Approval:
    """Make a time limit's shown text (its hash) the one readers see, in the name ``name`` (the attorney, or
    the demo loader). Refuses (StaleApproval) when the rule changed since it was shown. Callers check that
    ``user`` may approve."""
    person = Person.objects.filter(user=user).first() if user is not None else None
    approval = record_approval(
        obj=rule, approved_by=person, user=user, approver_name=name, note=note, shown_hash=shown_hash
    )
    rule.refresh_from_db()
    rule.__dict__.pop("pending_draft", None)
    return approval


def unapproved_people_or_areas(obj) -> list[str]:
    """The author, reviewer or practice area an article would show that was never approved (not public).

    Approving the article anyway would put a byline or a breadcrumb on the page that leads to a missing
    profile, and a name no attorney approved, so the article waits for them.
    """
    if not isinstance(obj, Article):
        return []
    proposed = obj.proposed()
    parts = []
    for label, field in (
        ("author", "author"),
        ("reviewing attorney", "reviewed_by"),
        ("practice area", "practice_area"),
    ):
        if getattr(proposed, f"{field}_id") is None:
            continue
        related = getattr(proposed, field)
        if related.approved_version_id is None:
            parts.append(f"the {label} {related}")
    return parts


def approve(*, obj, user, shown_hash: str, note: str = "") -> Approval:
    """An attorney approves the values they were shown (``shown_hash``, from the approval screen).

    Anyone else is refused (PermissionDenied), as is an attorney who edited this text since its last
    approval unless APPROVAL_ALLOW_SELF is on; values changed since they were shown raise StaleApproval.
    """
    person = approver_for(user)
    unseen = unapproved_people_or_areas(obj)
    if unseen:
        raise ValidationError(
            f"this article would show {' and '.join(unseen)}, which no attorney has approved yet, so readers "
            "could not see it. Approve that first (People or Practice areas), then this article."
        )
    if person is None:
        raise PermissionDenied(
            "Only an attorney with a staff account linked to their profile (People) can approve what goes live."
        )
    edited_it = user.pk in editors_since_approval(obj)
    if edited_it and not settings.APPROVAL_ALLOW_SELF:
        raise PermissionDenied(
            "You edited this text yourself, so another attorney must approve it. (A firm with a single "
            "attorney can allow self-approval with the APPROVAL_ALLOW_SELF setting.)"
        )
    return record_approval(
        obj=obj, approved_by=person, user=user, shown_hash=shown_hash, is_self_approval=edited_it, note=note
    )


def shown_hash(obj) -> str:
    """The hash the approval screen carries for the object as it would go live now."""
    proposed = obj.proposed()
    return proposed.proposed_hash()


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

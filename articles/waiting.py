"""What waits for an attorney, of every kind of approved content: the admin index counts it and links to each
one (articles/templatetags/articles_admin.py), and the attorneys get an email for each (articles/emails.py).

Something waits when a change is in its draft, or when it was never approved (an article only once it is set
to publish: a draft article is still being written). Each kind says it in plain words, and links to its
approval screen (articles/admin/approval_screen.py).
"""

from django.conf import settings
from django.urls import reverse

from articles.models import Article, Person, PracticeArea, TimeLimitRule, drafts_of

# Every model whose public text waits for an attorney (articles/models/approved_content.py).
APPROVED_MODELS = (Article, Person, PracticeArea, TimeLimitRule)


def awaiting(model):
    """The model's rows that wait for an attorney: a change in a draft, or never approved (each kind's
    ApprovedContentQuerySet.awaiting_approval(), articles/models/approved_content.py)."""
    return model._default_manager.awaiting_approval()


def waiting_objects() -> list:
    """Every object that waits, of every kind, oldest kind first (articles, then people, areas, limits)."""
    return [obj for model in APPROVED_MODELS for obj in awaiting(model).order_by("pk")]


def one_line(text) -> str:
    """Staff-entered text on one line (no email header injection), at most 100 characters."""
    return " ".join(str(text or "").split())[:100]


def name_of(obj) -> str:
    """The approved name (what readers know it by), in English."""
    if isinstance(obj, Article):
        return one_line(obj.title)
    return one_line(getattr(obj, "name_en", None) or obj.name)


def in_plain_words(obj) -> str:
    """What waits, in a few words: “a change to Ada Attorney's profile”."""
    name = name_of(obj)
    new = obj.approved_version_id is None
    if isinstance(obj, Person):
        return f"a new profile: {name}" if new else f"a change to {name}'s profile"
    if isinstance(obj, PracticeArea):
        return f"a new practice area “{name}”" if new else f"a change to the practice area “{name}”"
    if isinstance(obj, TimeLimitRule):
        return f"a new time limit “{name}”" if new else f"a change to the time limit “{name}”"
    return f"a new article “{name}”" if new else f"a change to the article “{name}”"


def approve_path(obj) -> str:
    """The object's approval screen (the site's path)."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_approve", args=[obj.pk])


def approve_url(obj) -> str:
    return settings.SITE_URL + approve_path(obj)


def change_path(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def waiting_hash(obj, drafts: dict) -> str:
    """The hash of the text that waits: its draft's, or (never approved) the row's own."""
    if obj.pk in drafts:
        return drafts[obj.pk]
    if isinstance(obj, Article):
        return obj.content_hash
    return obj.proposed_hash()


def dedupe_key(obj, text_hash: str) -> str:
    """One approval request per object and text (an article keeps the key it always had)."""
    if isinstance(obj, Article):
        return f"approval:{obj.pk}:{text_hash}"
    return f"approval:{obj._meta.model_name}:{obj.pk}:{text_hash}"


def waiting_with_hashes():
    """(object, hash of the text that waits) for every change that waits in a draft, and every article set to
    publish and never approved. A profile, practice area or time limit never approved is left to the admin's
    save that created it (articles/emails.py): the time limits the migrations seed wait for the firm's first
    attorney on the admin index, not in a few dozen emails to nobody."""
    for model in APPROVED_MODELS:
        drafts = dict(drafts_of(model).values_list("object_id", "content_hash"))
        rows = awaiting(model) if model is Article else model._default_manager.with_pending_change()
        for obj in rows.order_by("pk"):
            yield obj, waiting_hash(obj, drafts)

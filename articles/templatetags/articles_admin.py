from django import template

from articles.models import Article
from articles.waiting import APPROVED_MODELS, approve_path, awaiting, in_plain_words

SHOWN_WAITING = 10  # the index lists this many of what waits; the count covers all

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def article_dashboard(context):
    """What editors need to see first: what is going live next, what waits for an attorney's approval,
    drafts waiting, and reviews getting old."""
    user = context["request"].user
    waiting = _waiting(user)
    if not user.has_perm("articles.view_article"):
        return {"show": False, **waiting}
    upcoming = list(Article.objects.scheduled().order_by("published_at").only("title", "published_at")[:3])
    return {
        "show": True,
        "live": Article.objects.published().count(),
        "scheduled": Article.objects.scheduled().count(),
        "upcoming": upcoming,
        "drafts": Article.objects.filter(status=Article.Status.DRAFT).count(),
        "review_due": Article.objects.published().review_due().count(),
        "awaiting_approval": Article.objects.awaiting_approval().count(),
        **waiting,
    }


def _waiting(user) -> dict:
    """Everything that waits for an attorney, of every kind the user may see (articles, people, practice
    areas, time limits): how many, and the first few in plain words, each linking to its approval screen."""
    count, items = 0, []
    for model in APPROVED_MODELS:
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        rows = awaiting(model).order_by("pk")
        count += rows.count()
        for obj in rows[: max(SHOWN_WAITING - len(items), 0)]:
            text = in_plain_words(obj)
            items.append({"text": text[0].upper() + text[1:], "url": approve_path(obj)})
    return {"waiting_count": count, "waiting": items}

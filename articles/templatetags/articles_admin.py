from django import template

from articles.models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def article_dashboard(context):
    """What editors need to see first: what is going live next, what waits for an attorney's approval,
    drafts waiting, and reviews getting old."""
    if not context["request"].user.has_perm("articles.view_article"):
        return {"show": False}
    upcoming = list(Article.objects.scheduled().order_by("published_at").only("title", "published_at")[:3])
    return {
        "show": True,
        "live": Article.objects.published().count(),
        "scheduled": Article.objects.scheduled().count(),
        "upcoming": upcoming,
        "drafts": Article.objects.filter(status=Article.Status.DRAFT).count(),
        "review_due": Article.objects.published().review_due().count(),
        "awaiting_approval": Article.objects.awaiting_approval().count(),
    }

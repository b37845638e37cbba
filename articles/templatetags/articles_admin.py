from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import DeletedObject

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


@register.filter
def history_value(value):
    """A field's old or new value in the history's "Changes" column, in words a person reads: an empty
    link is "(empty)", not simple_history's "Deleted person (pk=None)"; times are New York time."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "(empty)"
        return f"a deleted {value.model._meta.verbose_name} (#{value.pk})"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "M j, Y, g:i a T")
    if isinstance(value, date):
        return date_format(value, "M j, Y")
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"

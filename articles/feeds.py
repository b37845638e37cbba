from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.i18n import current_language
from articles.models import Article


class ArticleFeed(Feed):
    """/feed/ lists the English articles, /es/feed/ the Spanish ones (the language of the address)."""

    feed_type = Atom1Feed

    def title(self):
        return _("Articles from %(firm)s") % {"firm": settings.FIRM["name"]}

    def subtitle(self):
        return _("Plain-language explainers about New York personal injury and medical malpractice law.")

    # Every link is absolute, from SITE_URL: Django's Feed would otherwise take the domain from the request's
    # Host header, and a page-cached feed built for "Host: attacker.example" would send later readers there.
    def link(self):
        return settings.SITE_URL + reverse("articles:list")

    def feed_url(self):
        return settings.SITE_URL + reverse("feed")

    def items(self):
        return (
            Article.objects.published()
            .in_language(current_language())
            .select_related("author", "practice_area")
            .defer(
                "body",
                "body_html",
                "body_text",
                "search_vector",
                "toc",
            )[:20]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return settings.SITE_URL + article.get_absolute_url()

    def item_author_name(self, article):
        return article.author.name

    def item_pubdate(self, article):
        return article.public_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.practice_area.name]

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = f"Articles from {settings.FIRM['name']}"
    subtitle = "Plain-language explainers about New York personal injury and medical malpractice law."
    link = "/articles/"

    def items(self):
        return (
            Article.objects.published()
            .live_text()  # the approved title and summary
            .select_related("author", "practice_area")
            .defer(
                "body",
                "body_html",
                "body_text",
                "search_vector",
                "toc",
                "approved_version__body_html",
                "approved_version__toc",
            )[:20]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return article.get_absolute_url()

    def item_author_name(self, article):
        return article.author.name

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.practice_area.name]

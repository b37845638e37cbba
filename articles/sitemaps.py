from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from articles.i18n import Language, current_language
from articles.models import Article, Person, PracticeArea


class SiteURLSitemap(Sitemap):
    """Addresses built from SITE_URL, like the canonical links, whatever Host the request came with.

    Every page is listed once per language it exists in, each entry with <xhtml:link rel="alternate"
    hreflang> links to all its languages and x-default (English), using Django's i18n sitemaps: the
    location is computed with each language activated in turn.
    """

    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        """One item per subject: an English article (with its Spanish counterpart, if published), or a
        Spanish article with no published English counterpart."""
        articles = list(
            Article.objects.published()
            .select_related("counterpart")
            .only(
                "slug",
                "language",
                "updated_at",
                "status",
                "published_at",
                "counterpart__slug",
                "counterpart__language",
                "counterpart__status",
                "counterpart__published_at",
            )  # fmt: skip
            .order_by("-published_at")
        )
        return [
            article
            for article in articles
            if article.language == Language.ENGLISH or article.public_counterpart is None
        ]

    def get_languages_for_item(self, article):
        languages = {article.language}
        if counterpart := article.public_counterpart:
            languages.add(counterpart.language)
        return [code for code in self._languages() if code in languages]

    def location(self, article):
        """The version in the language being listed."""
        if article.language == current_language():
            return article.get_absolute_url()
        return article.public_counterpart.get_absolute_url()

    def lastmod(self, article):
        return article.updated_at


class PracticeAreaSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return PracticeArea.objects.public()

    def location(self, area):
        return area.get_absolute_url()

    def lastmod(self, area):
        return area.updated_at


class PersonSitemap(SiteURLSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Person.objects.public().only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class PageSitemap(SiteURLSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return [
            "home", "about", "articles:list", "articles:practice_areas", "articles:people", "articles:time_limits",
            "disclaimer", "privacy",
        ]  # fmt: skip

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "practice-areas": PracticeAreaSitemap,
    "people": PersonSitemap,
}


def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.urls import reverse

from articles.models import Article, Person, PracticeArea


class SiteURLSitemap(Sitemap):
    """Addresses built from SITE_URL, like the canonical links, whatever Host the request came with."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, article):
        return article.updated_at


class PracticeAreaSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return PracticeArea.objects.all()

    def lastmod(self, area):
        return area.updated_at


class PersonSitemap(SiteURLSitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Person.objects.only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class PageSitemap(SiteURLSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return ["home", "about", "articles:list", "articles:practice_areas", "disclaimer", "privacy"]

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

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from articles.addresses import address, page_address
from articles.context_processors import default_alternates
from articles.i18n import Language, current_language, home_url
from articles.models import Article, ArticleRedirect, Person, PracticeArea
from articles.page_queries import (
    LIST_PAGES_COMPILED,
    ArticlePage,
    CountedPage,
    home_cards,
    listing_cards,
    public_areas,
    reader_article,
)
from articles.search import search

LISTING_PAGE_SIZE = 20


def breadcrumbs_json_ld(items: list[tuple[str, str]]) -> dict:
    """schema.org BreadcrumbList from (name, path) pairs."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": settings.SITE_URL + path}
            for i, (name, path) in enumerate(items, start=1)
        ],
    }


def person_json_ld(person) -> dict:
    return {
        "@type": "Person",
        "name": person.name,
        "jobTitle": person.job_title,
        "url": settings.SITE_URL + person.get_absolute_url(),
    }


# schema.org inLanguage of each language's pages.
IN_LANGUAGE = {Language.ENGLISH: "en-US", Language.SPANISH: "es-US"}


def alternates_for(article) -> dict[str, str]:
    """hreflang addresses of an article: its own, its published counterpart's, and x-default (English)."""
    urls = {article.language: article.get_absolute_url()}
    if counterpart := article.public_counterpart:
        urls[counterpart.language] = counterpart.get_absolute_url()
    if Language.ENGLISH in urls:
        urls["x-default"] = urls[Language.ENGLISH]
    return urls


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        featured, latest = home_cards(current_language(), timezone.now())
        return super().get_context_data(
            featured_articles=featured,
            latest_articles=latest,
            practice_areas=public_areas(current_language()),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(people=Person.objects.public(), **kwargs)


class PersonListView(ListView):
    """/people/: the whole team, lawyers first (Person.Meta.ordering), each linking to their profile."""

    queryset = Person.objects.public()  # approved profiles only (articles/models/approved_content.py)
    template_name = "articles/person_list.html"
    context_object_name = "people"


class PersonDetailView(DetailView):
    """/people/<slug>/: who a lawyer or editor is, their admissions, and what they wrote or checked."""

    queryset = Person.objects.public()  # approved profiles only
    template_name = "articles/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        person = self.object
        published = (
            Article.objects.published()
            .in_language(current_language())
            .for_listing()
            .order_by("-published_at")
        )
        written = list(published.filter(author=person)[:12])
        reviewed = list(published.filter(reviewed_by=person).exclude(author=person)[:12])
        data = {
            "@context": "https://schema.org",
            **person_json_ld(person),
            "worksFor": {
                "@type": "LegalService",
                "name": settings.FIRM["name"],
                "url": settings.SITE_URL + "/",
            },
        }
        if person.bar_admissions and person.role == Person.Role.ATTORNEY:
            data["description"] = f"{_('Admitted:')} {person.bar_admissions}"
        return super().get_context_data(
            written=written,
            reviewed=reviewed,
            person_json_ld=data,
            breadcrumbs=breadcrumbs_json_ld(
                [
                    (_("Home"), reverse("home")),
                    (_("About"), reverse("about")),
                    (person.name, person.get_absolute_url()),
                ]
            ),
            **kwargs,
        )


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = LISTING_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.practice_areas = public_areas(current_language())
        wanted = request.GET.get("area", "")
        self.area = next(
            (area for area in self.practice_areas if wanted and wanted in {area.slug_en, area.slug_es}), None
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Built only if a page goes through the ORM (paginate_queryset): the first pages never use it.
        return SimpleLazyObject(self.readers_articles)

    def get_template_names(self):
        # ListView's own also names a template after the queryset's model, which built the ORM queryset that the
        # first pages never use (the lazy object above): 7% of an uncached list page's time.
        return [self.template_name]

    def readers_articles(self):
        articles = Article.objects.published().in_language(current_language()).for_listing()
        return articles.filter(practice_area=self.area.pk) if self.area else articles

    def paginate_queryset(self, queryset, page_size):
        """The first pages by a compiled query that also counts the articles (articles/page_queries.py); a
        deeper page or page=last as Django's ListView does it."""
        try:
            number = int(self.request.GET.get(self.page_kwarg) or 1)
        except ValueError:
            number = 0
        if not 1 <= number <= LIST_PAGES_COMPILED:
            return super().paginate_queryset(queryset, page_size)
        offset = (number - 1) * page_size
        area = self.area.pk if self.area else None
        cards, total = listing_cards(offset, page_size, current_language(), timezone.now(), area)
        if not cards and number > 1:
            raise Http404("No such page.")
        paginator = self.get_paginator(CountedPage(cards, total, offset), page_size)
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        area_slug = self.area.slug if self.area else ""  # in the page's language (slug_es, or the English)
        return super().get_context_data(
            practice_areas=self.practice_areas, area=self.area, area_slug=area_slug, **kwargs
        )


class PracticeAreaListView(ListView):
    model = PracticeArea
    template_name = "articles/practicearea_list.html"
    context_object_name = "practice_areas"


class PracticeAreaDetailView(DetailView):
    model = PracticeArea
    template_name = "articles/practicearea_detail.html"
    context_object_name = "practice_area"

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        if current_language() == Language.SPANISH:  # the Spanish slug, or the English one if it has none
            found = PracticeArea.objects.public().filter(slug_es=slug).first()
            found = found or PracticeArea.objects.public().filter(slug_en=slug, slug_es__isnull=True).first()
        else:
            found = PracticeArea.objects.public().filter(slug_en=slug).first()
        if found is None:
            raise Http404("No such practice area.")
        return found

    def get_context_data(self, **kwargs):
        area = self.object
        language = current_language()
        return super().get_context_data(
            articles=Article.objects.published()
            .in_language(language)
            .for_listing()
            .filter(practice_area=area),
            breadcrumbs=breadcrumbs_json_ld(
                [(_("Home"), home_url(language)), (area.name, area.get_absolute_url())]
            ),
            alternates={
                Language.ENGLISH: area.url_in(Language.ENGLISH),
                Language.SPANISH: area.url_in(Language.SPANISH),
                "x-default": area.url_in(Language.ENGLISH),
            },
            **kwargs,
        )


def not_translated_url(article) -> str:
    """Where the language switch leads from an article with no counterpart: a page in the other language
    that says so and offers the closest articles in it."""
    other = Language.SPANISH if article.language == Language.ENGLISH else Language.ENGLISH
    return address("articles:not_translated", other, article.slug)


def not_translated_view(request, slug):
    """/not-translated/<slug>/ (/es/sin-traduccion/<slug>/): the article the reader came from exists only in
    the other language. Says so in this page's language and lists this language's articles on the same
    subject (its practice area), then the newest ones."""
    language = current_language()
    original = get_object_or_404(
        Article.objects.published().exclude(language=language).select_related("practice_area"), slug=slug
    )
    published = Article.objects.published().in_language(language).for_listing()
    closest = list(published.filter(practice_area=original.practice_area).order_by("-published_at")[:6])
    if len(closest) < 3:
        closest += list(published.exclude(pk__in=[a.pk for a in closest]).order_by("-published_at")[:3])
    context = {
        "original": original,
        "closest": closest,
        "alternates": {original.language: original.get_absolute_url(), language: request.path},
    }
    return render(request, "articles/not_translated.html", context)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"  # also for a reader's page, whose article is a ReaderArticle

    @cached_property
    def can_preview(self) -> bool:
        """Staff who may edit articles see drafts and scheduled articles at their public address. Asked once
        per request (a reader's page asked three times, each through every authentication backend)."""
        return self.request.user.has_perm("articles.change_article")

    def get_queryset(self):
        articles = Article.objects.for_page().in_language(current_language())
        # Readers get the row, which is the approved text; staff also see drafts and scheduled articles (and
        # a change waiting for approval, read from its draft in get_object()).
        return articles if self.can_preview else articles.published()

    # A reader's page: the article and what its page shows with it, in one query (reader_article); a preview
    # builds its ArticlePage from the instances in get_context_data.
    page = None

    def get_object(self, queryset=None):
        if queryset is None and not self.can_preview:  # a reader: the public row, by the compiled query
            self.page = reader_article(self.kwargs["slug"], current_language(), timezone.now())
            if self.page is None:
                raise Http404("No such article.")
            return self.page.article
        article = super().get_object(queryset)
        if self.can_preview and article.approved_version_id and article.pending_draft is not None:
            preview = article.proposed()  # the waiting change, as it would go live
            preview.approved_version = article.approved_version
            return preview
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])
        response = self.render_to_response(self.get_context_data(object=self.object))
        # A preview (a draft, or staff seeing an edit that awaits approval) must never be kept by a browser or
        # proxy. Readers of an article with a pending edit see the approved text, which may be cached as usual.
        if not self.object.is_public or (self.can_preview and self.object.has_unapproved_changes):
            add_never_cache_headers(response)
        return response

    def redirect_from_old_slug(self, slug):
        redirect = get_object_or_404(ArticleRedirect.objects.select_related("article"), old_slug=slug)
        if not (redirect.article.is_public or self.can_preview):
            raise Http404("No such article.")
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

    def get_context_data(self, **kwargs):
        article = self.object
        page = self.page or ArticlePage.of(article, timezone.now())
        return super().get_context_data(
            practice_area=page.practice_area,
            author=page.author,
            reviewer=page.reviewer,
            related_articles=page.related,
            is_preview=not article.is_public,
            awaits_approval=self.can_preview and not article.is_approved,
            article_json_ld=self.article_json_ld(page),
            alternates=alternates_for(article),
            switch_url=None if article.public_counterpart else not_translated_url(article),
            breadcrumbs=breadcrumbs_json_ld(
                [
                    (_("Home"), home_url(article.language)),
                    (_("Articles"), page_address("articles:list", article.language)),
                    (page.practice_area.name, page.practice_area.get_absolute_url()),
                    (article.title, article.get_absolute_url()),
                ]
            ),
            **kwargs,
        )

    @staticmethod
    def article_json_ld(page: ArticlePage) -> dict:
        article = page.article
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": article.title,
            "description": article.summary,
            "url": settings.SITE_URL + article.get_absolute_url(),
            "mainEntityOfPage": settings.SITE_URL + article.get_absolute_url(),
            "author": person_json_ld(page.author),
            "publisher": {
                "@type": "LegalService",
                "name": settings.FIRM["name"],
                "url": settings.SITE_URL + "/",
            },
            "dateModified": article.updated_at.isoformat(),
            "articleSection": page.practice_area.name,
            "inLanguage": IN_LANGUAGE[article.language],
        }
        if article.public_at:
            data["datePublished"] = article.public_at.isoformat()
        if page.reviewer:
            data["reviewedBy"] = person_json_ld(page.reviewer)
            data["lastReviewed"] = article.last_reviewed_on.isoformat()
        if article.social_image:
            data["image"] = settings.SITE_URL + article.social_image.url
        return data


def search_view(request):
    """/search/?q=: ranked results with highlighted snippets; a no-results page that still helps."""
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 100))
    except ValueError:
        page = 1
    language = current_language()
    outcome = search(request.GET.get("q", ""), page, language)
    context = {"outcome": outcome, "search_query": outcome.query}
    if outcome.query:
        # The language switch searches for the same words on the other language's site (the query is already
        # in this page's address; nothing new is put in a URL).
        addresses, query = default_alternates(request.path, language), urlencode({"q": outcome.query})
        context["alternates"] = {
            code: f"{addresses[code]}?{query}" for code in (Language.ENGLISH, Language.SPANISH)
        }
    if outcome.query and not outcome.total:
        context["practice_areas"] = public_areas(language)
        context["fallback_articles"] = (
            Article.objects.published()
            .in_language(language)
            .for_listing()
            .order_by("-is_featured", "-published_at")[:3]
        )
    return render(request, "articles/search.html", context)

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article, ArticleRedirect, Person, PracticeArea
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


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        featured = list(published.filter(is_featured=True)[:2])
        return super().get_context_data(
            featured_articles=featured,
            latest_articles=list(published.exclude(pk__in=[a.pk for a in featured])[:6]),
            practice_areas=PracticeArea.objects.all(),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(people=Person.objects.all(), **kwargs)


class PersonDetailView(DetailView):
    """/people/<slug>/: who a lawyer or editor is, their admissions, and what they wrote or checked."""

    model = Person
    template_name = "articles/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        person = self.object
        published = Article.objects.published().for_listing().order_by("-published_at")
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
            data["description"] = f"Admitted: {person.bar_admissions}"
        return super().get_context_data(
            written=written,
            reviewed=reviewed,
            person_json_ld=data,
            breadcrumbs=breadcrumbs_json_ld(
                [("Home", "/"), ("About", "/about/"), (person.name, person.get_absolute_url())]
            ),
            **kwargs,
        )


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = LISTING_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.practice_areas = list(PracticeArea.objects.all())
        wanted = request.GET.get("area", "")
        self.area = next((area for area in self.practice_areas if area.slug == wanted), None)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        articles = Article.objects.published().for_listing()
        return articles.filter(practice_area=self.area) if self.area else articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(practice_areas=self.practice_areas, area=self.area, **kwargs)


class PracticeAreaListView(ListView):
    model = PracticeArea
    template_name = "articles/practicearea_list.html"
    context_object_name = "practice_areas"


class PracticeAreaDetailView(DetailView):
    model = PracticeArea
    template_name = "articles/practicearea_detail.html"
    context_object_name = "practice_area"

    def get_context_data(self, **kwargs):
        area = self.object
        return super().get_context_data(
            articles=Article.objects.published().for_listing().filter(practice_area=area),
            breadcrumbs=breadcrumbs_json_ld([("Home", "/"), (area.name, area.get_absolute_url())]),
            **kwargs,
        )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self) -> bool:
        """Staff who may edit articles see drafts and scheduled articles at their public address."""
        return self.request.user.has_perm("articles.change_article")

    def get_queryset(self):
        articles = Article.objects.for_page()
        # Staff see the current text (a preview when it awaits approval); readers see the approved text.
        return articles if self.can_preview() else articles.published().live_text()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_slug(kwargs["slug"])
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public or self.object.has_unapproved_changes:
            add_never_cache_headers(response)  # a preview must never be kept by a browser or proxy
        return response

    def redirect_from_old_slug(self, slug):
        redirect = get_object_or_404(ArticleRedirect.objects.select_related("article"), old_slug=slug)
        if not (redirect.article.is_public or self.can_preview()):
            raise Http404("No such article.")
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

    def get_context_data(self, **kwargs):
        article = self.object
        related = (
            Article.objects.published()
            .for_listing()
            .filter(practice_area=article.practice_area)
            .exclude(pk=article.pk)
        )[:3]
        return super().get_context_data(
            related_articles=list(related),
            is_preview=not article.is_public,
            awaits_approval=self.can_preview() and not article.is_approved,
            article_json_ld=self.article_json_ld(article),
            breadcrumbs=breadcrumbs_json_ld(
                [
                    ("Home", "/"),
                    ("Articles", "/articles/"),
                    (article.practice_area.name, article.practice_area.get_absolute_url()),
                    (article.title, article.get_absolute_url()),
                ]
            ),
            **kwargs,
        )

    @staticmethod
    def article_json_ld(article) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": article.title,
            "description": article.summary,
            "url": settings.SITE_URL + article.get_absolute_url(),
            "mainEntityOfPage": settings.SITE_URL + article.get_absolute_url(),
            "author": person_json_ld(article.author),
            "publisher": {
                "@type": "LegalService",
                "name": settings.FIRM["name"],
                "url": settings.SITE_URL + "/",
            },
            "dateModified": article.updated_at.isoformat(),
            "articleSection": article.practice_area.name,
            "inLanguage": "en-US",
        }
        if article.published_at:
            data["datePublished"] = article.published_at.isoformat()
        if article.reviewed_by:
            data["reviewedBy"] = person_json_ld(article.reviewed_by)
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
    outcome = search(request.GET.get("q", ""), page)
    context = {"outcome": outcome, "search_query": outcome.query}
    if outcome.query and not outcome.total:
        context["practice_areas"] = PracticeArea.objects.all()
        context["fallback_articles"] = (
            Article.objects.published().for_listing().order_by("-is_featured", "-published_at")[:3]
        )
    return render(request, "articles/search.html", context)

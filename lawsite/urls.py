from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from articles.feeds import ArticleFeed
from articles.page_cache import public_page
from articles.sitemaps import sitemap_xml
from articles.views import AboutView, HomeView
from lawsite import views

# Public pages exist in English at their original addresses and in Spanish under /es/, with translated
# paths (/es/articulos/, /es/consulta/ …; see locale/es/LC_MESSAGES/django.po, context "url"). The language
# comes from the path only (lawsite.middleware.LanguageFromPathMiddleware); English has no /en/ prefix.
public_pages = [
    path("", public_page(HomeView.as_view()), name="home"),
    path(pgettext_lazy("url", "about/"), public_page(AboutView.as_view()), name="about"),
    path(
        pgettext_lazy("url", "disclaimer/"),
        public_page(TemplateView.as_view(template_name="pages/disclaimer.html")),
        name="disclaimer",
    ),
    path(
        pgettext_lazy("url", "privacy/"),
        public_page(TemplateView.as_view(template_name="pages/privacy.html")),
        name="privacy",
    ),
    path("", include("articles.urls")),
    path("feed/", public_page(ArticleFeed()), name="feed"),
    path(pgettext_lazy("url", "consultation/"), include("consultations.urls")),
]

urlpatterns = [
    *i18n_patterns(*public_pages, prefix_default_language=False),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path(
        ".well-known/security.txt",
        views.security_txt,
        name="security_txt",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", public_page(sitemap_xml, query=("p",)), name="sitemap"),
    # The admin editor's preview and upload, at the paths django-markdownx's widget posts to.
    path("markdownx/", include("articles.authoring")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler500 = "lawsite.views.server_error"

if settings.BENCH_ENDPOINT:
    # `make bench` compares every page with this trivial view.
    urlpatterns += [path("__bench__/baseline", views.bench_baseline)]

if settings.DEBUG:
    # Let developers look at the error pages while DEBUG is on.
    urlpatterns += [
        path("__error__/404/", TemplateView.as_view(template_name="404.html")),
        path("__error__/500/", views.server_error),
    ]
    # Uploaded photos and images under `make run`; in production the web server (nginx) serves MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

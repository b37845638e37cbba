from django.urls import path
from django.utils.translation import pgettext_lazy

from articles import views
from articles.page_cache import public_page

app_name = "articles"

urlpatterns = [
    # Never cached: every query is different, and results must follow edits at once.
    path(pgettext_lazy("url", "search/"), views.search_view, name="search"),
    path(
        pgettext_lazy("url", "articles/"),
        public_page(views.ArticleListView.as_view(), query=("page", "area")),
        name="list",
    ),
    path(
        pgettext_lazy("url", "not-translated/<slug:slug>/"),
        public_page(views.not_translated_view),
        name="not_translated",
    ),
    path(pgettext_lazy("url", "people/"), public_page(views.PersonListView.as_view()), name="people"),
    path(
        pgettext_lazy("url", "people/<slug:slug>/"),
        public_page(views.PersonDetailView.as_view()),
        name="person",
    ),
    path(
        pgettext_lazy("url", "articles/<slug:slug>/"),
        public_page(views.ArticleDetailView.as_view()),
        name="detail",
    ),
    path(
        pgettext_lazy("url", "practice-areas/"),
        public_page(views.PracticeAreaListView.as_view()),
        name="practice_areas",
    ),
    path(
        pgettext_lazy("url", "practice-areas/<slug:slug>/"),
        public_page(views.PracticeAreaDetailView.as_view()),
        name="practice_area",
    ),
]

from django.urls import path

from articles import views
from articles.page_cache import public_page

app_name = "articles"

urlpatterns = [
    # Never cached: every query is different, and results must follow edits at once.
    path("search/", views.search_view, name="search"),
    path("articles/", public_page(views.ArticleListView.as_view()), name="list"),
    path("articles/<slug:slug>/", public_page(views.ArticleDetailView.as_view()), name="detail"),
    path("practice-areas/", public_page(views.PracticeAreaListView.as_view()), name="practice_areas"),
    path("people/<slug:slug>/", public_page(views.PersonDetailView.as_view()), name="person"),
    path(
        "practice-areas/<slug:slug>/",
        public_page(views.PracticeAreaDetailView.as_view()),
        name="practice_area",
    ),
]

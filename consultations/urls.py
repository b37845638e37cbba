from django.urls import path

from articles.page_cache import public_page
from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_create, name="create"),
    path("thanks/", public_page(views.ThanksView.as_view()), name="thanks"),
]

from django.urls import path

from consultations import views
from lawsite.page_cache import public_page

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_create, name="create"),
    path("thanks/", public_page(views.ThanksView.as_view()), name="thanks"),
]

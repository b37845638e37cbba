from django.urls import path
from django.utils.translation import pgettext_lazy

from articles.page_cache import public_page
from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_create, name="create"),
    # The form page's language switch posts the answers here (consultations/drafts.py); never a GET.
    path(pgettext_lazy("url", "language/"), views.switch_language, name="switch_language"),
    path(
        pgettext_lazy("url", "thanks/"), public_page(views.ThanksView.as_view(), query=("r",)), name="thanks"
    ),
]

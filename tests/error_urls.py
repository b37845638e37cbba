"""A URLconf with a view that fails, to look at the 500 page with DEBUG off."""

from django.urls import path

from lawsite.urls import urlpatterns as site_urlpatterns


def explode(request):
    raise RuntimeError("secret-internal-detail: DATABASES password=hunter2")


# The site's patterns are added as they are, not include()d: Django refuses i18n_patterns in an include.
urlpatterns = [path("boom/", explode), *site_urlpatterns]
handler500 = "lawsite.views.server_error"

"""A URLconf with a view that fails, to look at the 500 page with DEBUG off."""

from django.urls import include, path


def explode(request):
    raise RuntimeError("secret-internal-detail: DATABASES password=hunter2")


urlpatterns = [path("boom/", explode), path("", include("lawsite.urls"))]
handler500 = "lawsite.views.server_error"

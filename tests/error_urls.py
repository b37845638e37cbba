"""A URLconf with a view that fails, to look at the 500 page with DEBUG off."""

from django.urls import path

from lawsite.urls import urlpatterns as site_urlpatterns


def explode(request):
    raise RuntimeError("secret-internal-detail: DATABASES password=hunter2")


# The site's patterns are added as they are, not include()d: Django refuses i18n_patterns in an include.
urlpatterns = [path("boom/", explode), *site_urlpatterns]
handler500 = "lawsite.views.server_error"


def database_down(request):
    from django.db import OperationalError

    raise OperationalError('connection to server at "db.internal" failed: password=hunter2')


class DatabaseDownMiddleware:
    """Fails the way session or user loading does when PostgreSQL is gone, outside any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/middleware-db-down/":
            from django.db import InterfaceError

            raise InterfaceError("connection already closed")
        return self.get_response(request)


urlpatterns = [path("db-down/", database_down), *urlpatterns]

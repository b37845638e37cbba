"""The admin editor's live preview and image upload (django-markdownx), for staff only.

markdownx's own URLs accept anyone (django-markdownx #136/#160), so they are routed here instead, keeping
the URL names its widget uses, and refused with 403 unless the user is signed-in staff allowed to
edit articles.
"""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST
from markdownx.views import ImageUploadView

from articles.markdown import markdownify
from articles.models import short_form_rules


def editors_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff and user.has_perm("articles.change_article")):
            return JsonResponse({"error": "Only signed-in editors can do this."}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@editors_only
def preview(request):
    # The preview quotes the time-limits table as saving will (in English: markdownx sends only the text).
    return HttpResponse(markdownify(request.POST.get("content", ""), limits=short_form_rules()))


urlpatterns = [
    path("markdownify/", preview, name="markdownx_markdownify"),
    path("upload/", require_POST(editors_only(ImageUploadView.as_view())), name="markdownx_upload"),
]

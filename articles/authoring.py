"""The admin editor's live preview and image upload (django-markdownx), for staff only.

markdownx's own URLs accept anyone (django-markdownx #136/#160), so they are routed here instead, keeping
the URL names its widget uses, and refused with 403 unless the user is signed-in staff allowed to
edit articles. markdownx's own upload trusts the browser's content type (a GIF or a "JPEG" that is not an
image was stored as sent, under the client's extension); ours decodes every upload with Pillow and stores a
clean re-encoding under the detected format's extension (articles/images.py).
"""

from functools import wraps

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from articles import firm_facts, images, plain_language
from articles.admin import editor
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
    """The text as the site will show it, under a box that says whether it is approved and how plainly it
    reads (articles/admin/editor.py: the editor's widget asks with ?language= and ?approved=)."""
    asked = request.POST.get("language") or request.GET.get("language")
    language = asked if asked in {"en", "es"} else "en"
    # The preview quotes the time-limits table and the firm's facts as saving will.
    content = firm_facts.expand(request.POST.get("content", ""), language)
    html = markdownify(content, language=language, limits=short_form_rules())
    reading = plain_language.measure_html(html, language)
    check = editor.meter_html(reading, approved=request.GET.get("approved") == "1")
    return HttpResponse(check + html)


@require_POST
@editors_only
def upload(request):
    """Answers as markdownx's widget expects: {"image_code": "![](url)"}, or 400 {"image": [message]}."""
    file = request.FILES.get("image")
    if file is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        clean = images.clean_image(
            file,
            max_bytes=settings.MARKDOWNX_UPLOAD_MAX_SIZE,
            max_side=max(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"]),
        )
    except images.UnusableImage as error:
        return JsonResponse({"image": [str(error)]}, status=400)
    stem = images.random_stem(settings.MARKDOWNX_MEDIA_PATH)
    name = default_storage.save(f"{stem}.{clean.extension}", clean.as_file("upload"))
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})


urlpatterns = [
    path("markdownify/", preview, name="markdownx_markdownify"),
    path("upload/", upload, name="markdownx_upload"),
]

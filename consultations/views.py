from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from articles.i18n import current_language
from articles.models import Article
from consultations.client_ip import client_ip
from consultations.forms import ConsultationRequestForm, is_slug, new_timer_token
from consultations.services import RateLimited, submit_consultation_request


def topic_of_article(slug: str) -> str:
    """The form's "What is it about?" answer: the practice area of the published article, if any."""
    if not slug:
        return ""
    area = Article.objects.published().filter(slug=slug).values_list("practice_area_id", flat=True).first()
    return str(area) if area else ""


@never_cache  # the page carries a CSRF token and, after a mistake, what the visitor typed
def consultation_create(request):
    if request.method == "POST":
        form = ConsultationRequestForm(request.POST)
        if form.is_valid():
            try:
                submit_consultation_request(
                    answers=form.request_fields(),
                    article_slug=form.cleaned_data["article"],
                    client_ip=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                    spam_reason=form.spam_reason(),
                    language=current_language(),  # /es/consulta/ is Spanish
                )
            except RateLimited:
                context = {"form": form, "rate_limited": True}
                return render(request, "consultations/consultation_form.html", context, status=429)
            # 303: the browser follows with a GET, so a reload cannot send the form twice.
            response = HttpResponseRedirect(reverse("consultations:thanks"))
            response.status_code = 303
            return response
    else:
        article = request.GET.get("article", "")
        article = article if is_slug(article) else ""
        initial = {"started": new_timer_token(), "article": article}
        if topic := topic_of_article(article):
            initial["practice_area"] = topic  # one less question for someone who came from an article
        form = ConsultationRequestForm(initial=initial)
    return render(request, "consultations/consultation_form.html", {"form": form})


class ThanksView(TemplateView):
    template_name = "consultations/thanks.html"

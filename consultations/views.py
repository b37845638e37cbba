import logging
from urllib.parse import urlencode

from django.core import signing
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from articles.i18n import Language, current_language
from articles.models import Article
from consultations import drafts
from consultations.client_ip import client_ip
from consultations.forms import ConsultationRequestForm, is_slug, new_timer_token, what_for_area
from consultations.models import ConsultationRequest
from consultations.services import RateLimited, submit_consultation_request

logger = logging.getLogger(__name__)

RECEIPT_SALT = "consultations.thanks-receipt"
# While the database is away: how long the visitor's browser is asked to wait (as on the site's 503 page).
RETRY_AFTER_SECONDS = 30
# How long the thanks page can show the request number after sending (a reload, going back).
RECEIPT_MAX_AGE = 60 * 60


def receipt_token(consultation) -> str:
    """A signed note for the thanks page: the request number, nothing else, so a shared or leaked link
    reveals nothing personal; the visitor cannot alter it to see another request's number. What the page
    says about the request (a confirmation email on its way, a short deadline) is read from the stored
    request on the server."""
    return signing.dumps({"n": consultation.pk}, salt=RECEIPT_SALT, compress=False)


def read_receipt(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def what_of_article(slug: str) -> str:
    """The form's "What happened?" answer an article suggests (articles on medical malpractice: medical)."""
    if not slug:
        return ""
    try:
        area = (
            Article.objects.published()
            .filter(slug=slug)
            .values_list("practice_area__slug_en", flat=True)
            .first()
        )
    except DatabaseError:
        return ""  # the database is away: the form is shown anyway, saying it cannot be sent just now
    return what_for_area(area) or ""


@never_cache  # the page carries a CSRF token and, after a mistake, what the visitor typed
def consultation_create(request):
    if request.method == "POST":
        form = ConsultationRequestForm(request.POST)
        consultation = None
        try:
            valid = form.is_valid()  # without the database it checks the fields only (see the form)
            if form.database_unavailable:
                raise OperationalError("practice areas could not be read")
            if valid and form.timer_expired():
                # Open for longer than a visitor needs: shown again with the answers and a new timer, so an
                # old token cannot be replayed for ever and a person who left the tab open loses nothing.
                data = request.POST.copy()
                data["started"] = new_timer_token()
                form = ConsultationRequestForm(data)
                form.is_valid()
                context = {"form": form, "timer_expired": True}
                return render(request, "consultations/consultation_form.html", context)
            if valid:
                # One transaction: the request and its emails are stored together, or not at all.
                consultation = submit_consultation_request(
                    answers=form.request_fields(),
                    article_slug=form.cleaned_data["article"],
                    client_ip=client_ip(request),
                    user_agent=request.headers.get("User-Agent", ""),
                    spam_reason=form.spam_reason(),
                    language=current_language(),  # /es/consulta/ is Spanish
                    form_token_id=timer.token_id if (timer := form.timer()) else "",
                )
        except RateLimited:
            context = {"form": form, "rate_limited": True}
            return render(request, "consultations/consultation_form.html", context, status=429)
        except (OperationalError, InterfaceError) as error:
            # PostgreSQL is down or restarting: nothing was stored. Say so, and give the answers back.
            logger.warning(
                "consultation form: database unavailable (%s); nothing stored", type(error).__name__
            )
            context = {"form": form, "database_unavailable": True}
            response = render(request, "consultations/consultation_form.html", context, status=503)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if consultation is not None:
            # 303: the browser follows with a GET, so a reload cannot send the form twice.
            thanks = reverse("consultations:thanks") + "?" + urlencode({"r": receipt_token(consultation)})
            response = HttpResponseRedirect(thanks)
            response.status_code = 303
            return response
    else:
        article = request.GET.get("article", "")
        article = article if is_slug(article) else ""
        initial = {"started": new_timer_token(), "article": article}
        if what := what_of_article(article):
            initial["what"] = what  # one less question for someone who came from an article
        # Answers typed in the other language's form before switching (consultations/drafts.py).
        initial.update(drafts.take(request))
        form = ConsultationRequestForm(initial=initial)
        if form.database_unavailable:
            # The visitor can read the form and call, but sending it would fail: the page says so up front.
            logger.warning(
                "consultation form: database unavailable; shown with the phone number, cannot be sent"
            )
            context = {"form": form, "cannot_send": True}
            response = render(request, "consultations/consultation_form.html", context, status=503)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
    return render(request, "consultations/consultation_form.html", {"form": form})


@require_POST
@never_cache
def switch_language(request):
    """The form page's language switch: keep what is typed in the session, then show the form in the other
    language, filled in. 303, so the browser follows with a plain GET; nothing typed is in any address."""
    drafts.keep(request, request.POST)
    other = Language.ENGLISH if current_language() == Language.SPANISH else Language.SPANISH
    with translation.override(other):
        target = reverse("consultations:create")
    response = HttpResponseRedirect(target)
    response.status_code = 303
    return response


class ThanksView(TemplateView):
    """What happens next. Reached with a receipt (after sending) it also shows the request number, says
    whether a confirmation email is on its way and names any short deadline (90 days or less) that may apply,
    with its date, worked out here from the stored request. That page is the visitor's own, so it is never
    cached."""

    template_name = "consultations/thanks.html"

    def get(self, request, *args, **kwargs):
        self.receipt = None
        pk = read_receipt(request.GET.get("r", "")) if "r" in request.GET else None
        consultation = (
            ConsultationRequest.objects.filter(pk=pk)
            .only("email", "phone", "contact_method", "what", "who", "incident_date")
            .first()
            if pk is not None
            else None
        )
        if consultation is not None:
            self.receipt = {
                "number": consultation.number,
                "has_email": bool(consultation.email),
                "reply_by": consultation.reply_by,
                "notices": consultation.visitor_notices(),
            }
        response = super().get(request, *args, **kwargs)
        if "r" in request.GET:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(receipt=self.receipt, **kwargs)

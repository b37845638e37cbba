from django import template
from django.utils import timezone

from consultations.business_days import one_business_day_before
from consultations.models import ConsultationRequest, OutboundEmail

register = template.Library()


@register.inclusion_tag("admin/consultations/dashboard.html", takes_context=True)
def consultation_dashboard(context):
    """Counts intake staff must see first: new and overdue requests, and emails that failed for good."""
    user = context["request"].user
    if not user.has_perm("consultations.view_consultationrequest"):
        return {"show": False}
    now = timezone.now()
    counts = {
        "new": ConsultationRequest.objects.new().count(),
        "overdue": ConsultationRequest.objects.overdue(now).count(),
    }
    failed = (
        OutboundEmail.objects.failed().count() if user.has_perm("consultations.view_outboundemail") else 0
    )
    return {"show": True, "failed": failed, "cutoff": one_business_day_before(now), **counts}

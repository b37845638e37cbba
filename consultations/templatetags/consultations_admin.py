from django import template
from django.utils import timezone

from consultations.business_days import one_business_day_before
from consultations.models import ConsultationRequest

register = template.Library()


@register.inclusion_tag("admin/consultations/dashboard.html", takes_context=True)
def consultation_dashboard(context):
    """Counts intake staff must see first: new and overdue requests (failed emails: outbox/templatetags)."""
    user = context["request"].user
    if not user.has_perm("consultations.view_consultationrequest"):
        return {"show": False}
    now = timezone.now()
    counts = {
        "new": ConsultationRequest.objects.new().count(),
        "overdue": ConsultationRequest.objects.overdue(now).count(),
    }
    return {"show": True, "cutoff": one_business_day_before(now), **counts}

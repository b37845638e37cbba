from django import template
from django.db.models import Count, Q
from django.utils import timezone

from consultations.models import ConsultationRequest, OutboundEmail, one_business_day_before

register = template.Library()


@register.inclusion_tag("admin/consultations/dashboard.html", takes_context=True)
def consultation_dashboard(context):
    """Counts intake staff must see first: new and overdue requests, and emails that failed for good."""
    user = context["request"].user
    if not user.has_perm("consultations.view_consultationrequest"):
        return {"show": False}
    cutoff = one_business_day_before(timezone.now())
    counts = ConsultationRequest.objects.aggregate(
        new=Count("pk", filter=Q(status=ConsultationRequest.Status.NEW)),
        overdue=Count("pk", filter=Q(status=ConsultationRequest.Status.NEW, received_at__lt=cutoff)),
    )
    failed = (
        OutboundEmail.objects.failed().count() if user.has_perm("consultations.view_outboundemail") else 0
    )
    return {"show": True, "failed": failed, "cutoff": cutoff, **counts}

from django import template

from outbox.models import OutboundEmail

register = template.Library()


@register.inclusion_tag("admin/outbox/dashboard.html", takes_context=True)
def outbox_dashboard(context):
    """Emails that failed for good, first thing on the admin index for whoever may look at emails."""
    user = context["request"].user
    if not user.has_perm("outbox.view_outboundemail"):
        return {"failed": 0}
    return {"failed": OutboundEmail.objects.failed().count()}

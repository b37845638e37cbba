"""The outbox's own email: when an email fails for good, one alert to FIRM_ALERT_EMAILS (a second inbox).

An alert goes through the outbox like any email (retries); an alert that fails sends no alert about itself.
Its text names the failed email's kind, what it was about (the kind's ``describe``, never a narrative or an
address), the attempts and the error, and links to the row in the admin where "Send again" retries it.
"""

from django.conf import settings
from django.urls import reverse

from outbox import kinds
from outbox.models import OutboundEmail

ALERT = "alert"


def build_alert(email) -> kinds.Draft:
    failed = email.about
    kind = kinds.get(failed.kind)
    context = {
        "firm": settings.FIRM,
        "failed": failed,
        "failed_label": kinds.label(failed.kind),
        "failed_about": kind.describe(failed) if kind and kind.describe else "",
        "note": kind.alert_note if kind else "",
        "failed_url": settings.SITE_URL + reverse("admin:outbox_outboundemail_change", args=[failed.pk]),
    }
    return kinds.Draft(
        to=list(settings.FIRM_ALERT_EMAILS),
        subject=f"Email not delivered: {kinds.label(failed.kind)}",
        template="outbox/email/alert",
        context=context,
    )


def register_alert_kind() -> None:
    kinds.register(ALERT, label="Delivery failure alert, to staff", build=build_alert)


def queue_alert(failed) -> None:
    """One alert per failed email (a unique constraint); a second failure after "Send again" re-queues it."""
    if failed.kind == ALERT:
        return
    OutboundEmail.objects.update_or_create(kind=ALERT, about=failed, defaults=OutboundEmail.queued_now())

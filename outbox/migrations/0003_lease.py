"""A claim becomes a lease (OUTBOX_LEASE_SECONDS, renewed while the worker works) instead of a fixed 300-second
claim timeout. Rows being sent at the upgrade keep the time the old worker would have waited for them."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Now


def lease_rows_in_flight(apps, schema_editor):
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    OutboundEmail.objects.filter(state="sending", claimed_at__isnull=False).update(
        lease_until=F("claimed_at") + timedelta(seconds=300)
    )
    # A row in "sending" with no claim time cannot be reclaimed by the old rule either: make it due now.
    OutboundEmail.objects.filter(state="sending", claimed_at__isnull=True).update(lease_until=Now())


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_worker_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(lease_rows_in_flight, migrations.RunPython.noop),
    ]

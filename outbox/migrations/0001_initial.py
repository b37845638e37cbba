"""The outbox's table, taken over with its rows from the consultations app, where the outbox was first
written (consultations/migrations/0008 reshapes it, then 0009 lets go of it): nothing in the database changes
here, the table keeps its name."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboundEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("dedupe_key", models.CharField(blank=True, default="", editable=False, max_length=120)),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to send"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed for good"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "about",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="alerts",
                                to="outbox.outboundemail",
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="outbox_emails",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "email",
                        "db_table": "consultations_outboundemail",
                        "ordering": ["created_at", "pk"],
                        "indexes": [
                            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
                            models.Index(fields=["content_type", "object_id"], name="outbox_source"),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("state", "sent"), _negated=True)
                                | models.Q(("sent_at__isnull", False)),
                                name="outbox_sent_has_time",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("kind", "alert"), _negated=True)
                                | models.Q(("about__isnull", False)),
                                name="outbox_alert_has_subject",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("content_type__isnull", True), ("object_id__isnull", True))
                                | models.Q(("content_type__isnull", False), ("object_id__isnull", False)),
                                name="outbox_source_complete",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("dedupe_key", ""), _negated=True),
                                fields=("dedupe_key",),
                                name="outbox_dedupe_key_once",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("about__isnull", False)),
                                fields=("about",),
                                name="outbox_one_alert_per_email",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]

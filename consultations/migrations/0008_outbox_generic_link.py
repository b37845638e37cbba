"""The outbox becomes an app of its own (outbox/), step 1 of 2: its table is reshaped here, in place, rows
and all, so that it names no model of this app.

The three links to what an email is about (a request, a digest day, an article) become one generic link
(content type + object id), and the once-per-request and once-per-day rules become dedupe keys
("firm:<request>", "visitor:<request>", "digest:<date>"). Step 2 (0009, with outbox/0001) hands the table over
to the outbox app without touching it, so an email pending before the upgrade is sent once after it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

SOURCES = {  # old column -> (app label, model) it pointed at
    "consultation": ("consultations", "consultationrequest"),
    "digest_run": ("consultations", "digestrun"),
    "article": ("articles", "article"),
}


def link_sources(apps, schema_editor):
    OutboundEmail = apps.get_model("consultations", "OutboundEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for column, (app_label, model) in SOURCES.items():
        rows = OutboundEmail.objects.filter(**{f"{column}__isnull": False})
        if rows.exists():
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            rows.update(content_type=content_type, object_id=F(f"{column}_id"))
    OutboundEmail.objects.filter(kind__in=["firm", "visitor"]).update(
        dedupe_key=Concat(F("kind"), Value(":"), Cast("consultation_id", CharField()))
    )
    for email in OutboundEmail.objects.filter(kind="digest").select_related("digest_run"):
        email.dedupe_key = f"digest:{email.digest_run.date.isoformat()}"
        email.save(update_fields=["dedupe_key"])
    check_now(schema_editor)


def check_now(schema_editor):
    # The foreign keys are checked at commit by default; the columns are altered in this same transaction,
    # which PostgreSQL refuses while checks are pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def unlink_sources(apps, schema_editor):
    OutboundEmail = apps.get_model("consultations", "OutboundEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for column, (app_label, model) in SOURCES.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type:
            OutboundEmail.objects.filter(content_type=content_type).update(**{f"{column}_id": F("object_id")})
    OutboundEmail.objects.filter(kind__in=["firm", "visitor", "digest"]).update(dedupe_key="")
    check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0007_form_token_used_once"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    # The outbox app takes the reshaped table over in its first migration.
    run_before = [("outbox", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="content_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(model_name="outboundemail", name="kind", field=models.CharField(max_length=40)),
        migrations.AlterField(
            model_name="outboundemail",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outbox_emails",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_request_email_has_request_v3"),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_article_email_has_article"),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_digest_has_run"),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_assignment_has_recipient"),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_one_per_request_kind_v2"),
        migrations.RemoveConstraint(model_name="outboundemail", name="outbox_one_per_digest"),
        # Between dropping the old rules and the old columns: undone, the columns are filled back before the
        # rules return.
        migrations.RunPython(link_sources, unlink_sources),
        migrations.RemoveField(model_name="outboundemail", name="consultation"),
        migrations.RemoveField(model_name="outboundemail", name="digest_run"),
        migrations.RemoveField(model_name="outboundemail", name="article"),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(fields=["content_type", "object_id"], name="outbox_source"),
        ),
        migrations.AddConstraint(
            model_name="outboundemail",
            constraint=models.CheckConstraint(
                condition=models.Q(("content_type__isnull", True), ("object_id__isnull", True))
                | models.Q(("content_type__isnull", False), ("object_id__isnull", False)),
                name="outbox_source_complete",
            ),
        ),
    ]

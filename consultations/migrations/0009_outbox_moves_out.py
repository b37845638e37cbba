"""The outbox becomes an app of its own (outbox/), step 2 of 2: the table (reshaped by 0008) and its rows now
belong to outbox.OutboundEmail (outbox/migrations/0001_initial.py); nothing in the database moves. The content
type moves with it, so the permissions granted on it (the Intake group's "view" and "change") stay granted."""

from django.db import migrations


def move_content_type(apps, schema_editor, source="consultations", target="outbox"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=source, model="outboundemail").first()
    if old is None:
        return  # a new database: the content type is made after the migrations
    ContentType.objects.filter(app_label=target, model="outboundemail").delete()  # made early, holds nothing
    old.app_label = target
    old.save(update_fields=["app_label"])


def move_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="outbox", target="consultations")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_outbox_generic_link"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboundEmail")], database_operations=[]
        ),
        migrations.RunPython(move_content_type, move_back),
    ]

"""The advertising archive becomes an app of its own (archive/), step 2: the articles app lets go of the four
archive models (archive/migrations/0001_initial.py took them over, tables and rows as they are). Nothing in the
database changes but the content types, which move to the archive app so the permissions granted on them (the
Editors' "view") stay granted."""

from django.db import migrations

MODELS = ["archivestate", "archiverun", "archivecapture", "archiverunpage"]


def move_content_types(apps, schema_editor, source="articles", target="archive"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: content types are made after the migrations
        ContentType.objects.filter(app_label=target, model=model).delete()  # made early, holds nothing
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="archive", target="articles")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_person_spanish_admissions_and_photo"),
        ("archive", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveIndex(
                    model_name="archivecapture",
                    name="archive_url_latest",
                ),
                migrations.RemoveConstraint(
                    model_name="archiverunpage",
                    name="archive_run_page_once",
                ),
                migrations.RemoveConstraint(
                    model_name="archivestate",
                    name="archivestate_single_row",
                ),
                migrations.DeleteModel(
                    name="ArchiveState",
                ),
                migrations.RemoveField(
                    model_name="archiverunpage",
                    name="capture",
                ),
                migrations.RemoveField(
                    model_name="archiverunpage",
                    name="run",
                ),
                migrations.DeleteModel(
                    name="ArchiveCapture",
                ),
                migrations.DeleteModel(
                    name="ArchiveRun",
                ),
                migrations.DeleteModel(
                    name="ArchiveRunPage",
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_back),
    ]

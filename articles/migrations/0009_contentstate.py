# The page cache's ContentState row moves from the lawsite app to articles (the page cache is about
# articles' content). The version carries over, so no cached page from before the move is served again.

from django.db import migrations, models


def copy_state_row(apps, schema_editor):
    new = apps.get_model("articles", "ContentState")
    try:
        old = apps.get_model("lawsite", "ContentState").objects.filter(pk=1).first()
    except LookupError:
        old = None
    new.objects.update_or_create(
        pk=1, defaults={"version": (old.version + 1) if old else 1, "upcoming": old.upcoming if old else []}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_updated_at_on_text_change"),
        ("lawsite", "0001_content_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentState",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ("version", models.PositiveBigIntegerField(default=1)),
                ("upcoming", models.JSONField(blank=True, default=list)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="contentstate_single_row")],
            },
        ),
        migrations.RunPython(copy_state_row, migrations.RunPython.noop),
    ]

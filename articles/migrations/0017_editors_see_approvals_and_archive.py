"""Editors may look at (never change) the approval records and the advertising archive."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_articleapproval", "view_archiverun", "view_archivecapture"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        # The archive's models belong to the archive app since articles/0022; tests call this function with
        # today's models, so it looks in both.
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label__in=["articles", "archive"], codename__in=VIEW)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_advertising_archive")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

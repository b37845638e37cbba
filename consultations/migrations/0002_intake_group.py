"""The "Intake" group: the staff who triage consultation requests. Editors are not in it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

INTAKE_PERMISSIONS = [
    ("consultationrequest", ["view", "change", "export"]),
    ("internalnote", ["view", "add"]),
    ("outboundemail", ["view", "change"]),
]


def create_intake_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("consultations")
    # Restore what was there: tests call this with the real app registry, whose app config must keep its
    # models module (or later flushes stop re-creating the consultations permissions).
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Intake")
    codenames = [f"{action}_{model}" for model, actions in INTAKE_PERMISSIONS for action in actions]
    # The emails' permissions belong to the outbox app since 0009 moved its content type there; tests call
    # this function with today's models, so it looks in both.
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["consultations", "outbox"], codename__in=codenames
        )
    )


def remove_intake_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Intake").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_intake_group, remove_intake_group)]

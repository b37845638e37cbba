import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

# The emails to attorneys (test_emails.py) go through a real SMTP server too: the consultations tests' fixtures.
from tests.consultations.conftest import smtp_port, smtp_server  # noqa: F401


@pytest.fixture
def editors_group(db) -> Group:
    """The group the data migration creates (re-created by the migration's own function, which is
    idempotent, because transactional tests elsewhere flush the database)."""
    importlib.import_module("articles.migrations.0002_editors_group").create_editors_group(django_apps, None)
    importlib.import_module("articles.migrations.0017_editors_see_approvals_and_archive").grant(
        django_apps, None
    )
    return Group.objects.get(name="Editors")


@pytest.fixture
def editor(django_user_model, editors_group):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123456", is_staff=True)
    user.groups.add(editors_group)
    return user

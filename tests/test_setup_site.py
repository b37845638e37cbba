import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.management.commands.load_demo_content import CONTENT_DIR, SPANISH_AREAS_FILE, SPANISH_DIR
from articles.models import Article, Person, PracticeArea

pytestmark = pytest.mark.django_db(transaction=True)  # the groups come from data migrations


def test_demo_setup_is_idempotent_and_creates_one_login_per_role(settings, tmp_path, capsys):
    settings.DEBUG = True  # setup_site refuses to run in production
    settings.VAR_DIR = tmp_path
    # Transactional tests flush the groups the data migrations made; make them again the same way.
    importlib.import_module("articles.migrations.0002_editors_group").create_editors_group(apps, None)
    importlib.import_module("consultations.migrations.0002_intake_group").create_intake_group(apps, None)

    call_command("setup_site")
    call_command("setup_site")
    out = capsys.readouterr().out
    # Every demo file is loaded once: the English articles, then the Spanish ones (their twins).
    spanish_files = [path for path in SPANISH_DIR.glob("*.md") if path.name != SPANISH_AREAS_FILE]
    assert Article.objects.count() == len(list(CONTENT_DIR.glob("*.md"))) + len(spanish_files)
    assert Article.objects.published().count() == Article.objects.count() - 2  # one draft, one scheduled
    spanish = Article.objects.filter(language="es")
    assert spanish.count() == len(spanish_files) >= 8
    assert all(article.counterpart and article.counterpart.language == "en" for article in spanish)
    assert all(article.counterpart.counterpart_id == article.pk for article in spanish)  # linked both ways
    assert not PracticeArea.objects.filter(name_es__isnull=True).exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert Article.objects.scheduled().count() == 1
    assert PracticeArea.objects.count() == 3
    assert Person.objects.count() == 3
    assert User.objects.get(username="staff").is_superuser
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == ["Editors"]
    assert list(User.objects.get(username="intake").groups.values_list("name", flat=True)) == ["Intake"]
    password = (tmp_path / "dev-staff-password").read_text().strip()
    assert out.count(f"password: {password}") == 10  # the same logins printed on both runs
    # The sample attorneys sign in as themselves and are the only demo accounts that may approve.
    assert Person.objects.get(slug="elena-marsh").user.username == "elena"
    assert set(Person.objects.approvers().values_list("slug", flat=True)) == {"elena-marsh", "david-kessler"}
    assert not Article.objects.awaiting_approval().exists()  # every demo article set to publish is approved
    for article in Article.objects.exclude(status=Article.Status.DRAFT):
        assert article.reviewed_by and article.last_reviewed_on
        assert 600 <= len(article.body_text.split()) <= 1500, article.slug
        assert "<ul>" in article.body_html or "<ol>" in article.body_html
        assert len(article.toc) >= 3

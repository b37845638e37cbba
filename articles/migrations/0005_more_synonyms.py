"""More everyday phrases, found by trying the demo content as a reader would ("slip and fall" missed the
article on falls, which never uses the word "slip"). Staff can edit or delete these in the admin."""

from django.db import migrations

SYNONYMS = [
    ("slip and fall", "fall or premises or property owner"),
    ("slipped", "fall or slip"),
    ("trip and fall", "fall or premises or property owner"),
    ("insurance company", "insurer or insurance"),
    ("ladder", "scaffold or labor law or fall"),
]


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    # A phrase staff already added keeps their wording (the phrase is unique).
    SearchSynonym.objects.bulk_create(
        [SearchSynonym(phrase=phrase, expansion=expansion) for phrase, expansion in SYNONYMS],
        ignore_conflicts=True,
    )


def remove_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchSynonym.objects.filter(phrase__in=[phrase for phrase, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_slug_help_text")]

    operations = [migrations.RunPython(seed_synonyms, remove_synonyms)]

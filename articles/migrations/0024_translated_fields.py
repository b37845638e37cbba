"""Practice areas and people move to django-modeltranslation (articles/translation.py), keeping every value.

The Spanish columns keep their names (name_es, bio_es, …) and their text; the new English columns (name_en, …)
start as a copy of today's field. An empty Spanish name or slug becomes NULL, so that the unique Spanish
columns allow several areas without one (as the old conditional constraint did). History rows get the same
columns, filled the same way.
"""

from django.db import migrations, models
from django.db.models import F

TRANSLATED = {
    "practicearea": ("name", "slug", "summary", "description"),
    "person": ("job_title", "bio", "bar_admissions", "photo_alt"),
}


def copy_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        for name in (model_name, f"historical{model_name}"):
            apps.get_model("articles", name).objects.update(**{f"{field}_en": F(field) for field in fields})


def empty_to_null(apps, schema_editor):
    PracticeArea = apps.get_model("articles", "PracticeArea")
    for field in ("name_es", "slug_es"):
        PracticeArea.objects.filter(**{field: ""}).update(**{field: None})


def null_to_empty(apps, schema_editor):
    PracticeArea = apps.get_model("articles", "PracticeArea")
    for field in ("name_es", "slug_es"):
        PracticeArea.objects.filter(**{f"{field}__isnull": True}).update(**{field: ""})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_time_limits"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="practicearea",
            name="practicearea_slug_es_unique",
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="bar_admissions_en",
            field=models.CharField(
                blank=True,
                help_text='Courts the attorney is admitted to practise before, with the year, e.g. "New York, 2009; U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="bio_en",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.",
                null=True,
                verbose_name="biography",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="job_title_en",
            field=models.CharField(
                help_text='For example "Partner" or "Legal content editor".', max_length=120, null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="photo_alt_en",
            field=models.CharField(
                blank=True,
                help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
                max_length=200,
                null=True,
                verbose_name="photo description",
            ),
        ),
        migrations.AddField(
            model_name="historicalpracticearea",
            name="description_en",
            field=models.TextField(
                blank=True, help_text="A few short paragraphs for the practice-area page.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalpracticearea",
            name="name_en",
            field=models.CharField(db_index=True, max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalpracticearea",
            name="slug_en",
            field=models.SlugField(max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalpracticearea",
            name="summary_en",
            field=models.CharField(
                help_text="One or two plain sentences; shown on cards and used as the meta description.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="bar_admissions_en",
            field=models.CharField(
                blank=True,
                help_text='Courts the attorney is admitted to practise before, with the year, e.g. "New York, 2009; U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
                max_length=300,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="bio_en",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.",
                null=True,
                verbose_name="biography",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="job_title_en",
            field=models.CharField(
                help_text='For example "Partner" or "Legal content editor".', max_length=120, null=True
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="photo_alt_en",
            field=models.CharField(
                blank=True,
                help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
                max_length=200,
                null=True,
                verbose_name="photo description",
            ),
        ),
        migrations.AddField(
            model_name="practicearea",
            name="description_en",
            field=models.TextField(
                blank=True, help_text="A few short paragraphs for the practice-area page.", null=True
            ),
        ),
        migrations.AddField(
            model_name="practicearea",
            name="name_en",
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="practicearea",
            name="slug_en",
            field=models.SlugField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="practicearea",
            name="summary_en",
            field=models.CharField(
                help_text="One or two plain sentences; shown on cards and used as the meta description.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.RunPython(copy_english, migrations.RunPython.noop),
        # Nullable first and without the unique index, so the empty Spanish names and slugs can become NULL.
        migrations.AlterField(
            model_name="practicearea",
            name="name_es",
            field=models.CharField(max_length=100, null=True, blank=True),
        ),
        migrations.AlterField(
            model_name="practicearea",
            name="slug_es",
            field=models.SlugField(max_length=100, null=True, blank=True),
        ),
        migrations.RunPython(empty_to_null, null_to_empty),
        migrations.AlterField(
            model_name="historicalperson",
            name="bar_admissions_es",
            field=models.CharField(
                blank=True,
                help_text='Courts the attorney is admitted to practise before, with the year, e.g. "New York, 2009; U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
                max_length=300,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="bio",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.", verbose_name="biography"
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="bio_es",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.",
                null=True,
                verbose_name="biography",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="job_title_es",
            field=models.CharField(
                help_text='For example "Partner" or "Legal content editor".', max_length=120, null=True
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="photo_alt_es",
            field=models.CharField(
                blank=True,
                help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
                max_length=200,
                null=True,
                verbose_name="photo description",
            ),
        ),
        migrations.AlterField(
            model_name="historicalpracticearea",
            name="description_es",
            field=models.TextField(
                blank=True, help_text="A few short paragraphs for the practice-area page.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="historicalpracticearea",
            name="name_es",
            field=models.CharField(db_index=True, max_length=100, null=True),
        ),
        migrations.AlterField(
            model_name="historicalpracticearea",
            name="slug_es",
            field=models.SlugField(
                help_text="The end of the Spanish address (/es/areas-de-practica/this-part/). Empty: the English slug.",
                max_length=100,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalpracticearea",
            name="summary_es",
            field=models.CharField(
                help_text="One or two plain sentences; shown on cards and used as the meta description.",
                max_length=300,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="bar_admissions_es",
            field=models.CharField(
                blank=True,
                help_text='Courts the attorney is admitted to practise before, with the year, e.g. "New York, 2009; U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
                max_length=300,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="bio",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.", verbose_name="biography"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="bio_es",
            field=models.TextField(
                help_text="A short plain-text biography shown on the About page.",
                null=True,
                verbose_name="biography",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="job_title_es",
            field=models.CharField(
                help_text='For example "Partner" or "Legal content editor".', max_length=120, null=True
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="photo_alt_es",
            field=models.CharField(
                blank=True,
                help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
                max_length=200,
                null=True,
                verbose_name="photo description",
            ),
        ),
        migrations.AlterField(
            model_name="practicearea",
            name="description_es",
            field=models.TextField(
                blank=True, help_text="A few short paragraphs for the practice-area page.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="practicearea",
            name="name_es",
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="practicearea",
            name="slug_es",
            field=models.SlugField(
                help_text="The end of the Spanish address (/es/areas-de-practica/this-part/). Empty: the English slug.",
                max_length=100,
                null=True,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="practicearea",
            name="summary_es",
            field=models.CharField(
                help_text="One or two plain sentences; shown on cards and used as the meta description.",
                max_length=300,
                null=True,
            ),
        ),
    ]

"""One mechanism for per-field translations (articles/translation.py, django-modeltranslation): pages read a
field in their language, an empty Spanish value shows the English, every translated field is in the admin,
and the move to it kept the Spanish texts already stored."""

import uuid

import pytest
from django.apps import apps
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from articles.models import Person, PracticeArea, TimeLimitRule
from scripts import processes
from tests.factories import PersonFactory, PracticeAreaFactory, TimeLimitRuleFactory, approve_change
from tests.outbox.test_upgrade import manage, scratch_url, server

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es")


def area(**fields) -> PracticeArea:
    return PracticeAreaFactory(
        slug="medical-malpractice",
        name="Medical malpractice",
        summary="When medical care falls below accepted practice and a patient is harmed.",
        description="A malpractice case asks two plain questions.",
        **fields,
    )


def test_spanish_pages_show_the_spanish_values_and_english_pages_the_english(client):
    practice_area = area(
        name_es="Negligencia médica",
        slug_es="negligencia-medica",
        summary_es="Cuando la atención médica no cumple con la práctica aceptada.",
        description_es="Un caso de negligencia médica hace dos preguntas sencillas.",
    )
    person = PersonFactory(
        job_title="Partner",
        job_title_es="Socia",
        bio="Represents patients.",
        bio_es="Representa a pacientes.",
    )

    spanish = client.get("/es/areas-de-practica/negligencia-medica/").content.decode()
    assert "<h1>Negligencia médica</h1>" in spanish
    assert "Un caso de negligencia médica hace dos preguntas sencillas." in spanish
    assert "A malpractice case asks two plain questions." not in spanish
    english = client.get(practice_area.get_absolute_url()).content.decode()
    assert "<h1>Medical malpractice</h1>" in english
    assert "A malpractice case asks two plain questions." in english
    assert "Negligencia" not in english

    spanish_profile = client.get(f"/es/equipo/{person.slug}/").content.decode()
    assert "Socia" in spanish_profile and "Representa a pacientes." in spanish_profile
    assert "Represents patients." not in spanish_profile
    english_profile = client.get(person.get_absolute_url()).content.decode()
    assert "Partner" in english_profile and "Represents patients." in english_profile
    assert "Representa a pacientes." not in english_profile


def test_an_empty_spanish_value_shows_the_english_one(client):
    area(name_es="Negligencia médica", slug_es="negligencia-medica")  # no Spanish summary or description
    person = PersonFactory(job_title="Paralegal", bio="Keeps the files in order.")  # no Spanish at all

    spanish = client.get("/es/areas-de-practica/negligencia-medica/").content.decode()
    assert "<h1>Negligencia médica</h1>" in spanish
    assert "When medical care falls below accepted practice and a patient is harmed." in spanish
    assert "A malpractice case asks two plain questions." in spanish
    profile = client.get(f"/es/equipo/{person.slug}/").content.decode()
    assert "Paralegal" in profile and "Keeps the files in order." in profile


def test_an_area_without_a_spanish_slug_answers_at_its_english_slug_on_the_spanish_site(client):
    practice_area = area()
    assert practice_area.url_in("es") == "/es/areas-de-practica/medical-malpractice/"
    assert client.get("/es/areas-de-practica/medical-malpractice/").status_code == 200
    # Several areas may lack a Spanish name and slug (stored as NULL under the unique index).
    PracticeAreaFactory(slug="personal-injury", name="Personal injury")
    assert PracticeArea.objects.filter(slug_es__isnull=True, name_es__isnull=True).count() == 2


def test_every_spanish_column_of_a_model_is_a_translation_field():
    """No model keeps a hand-written `_es` column beside the translation mechanism."""
    hand_written = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"articles", "consultations", "outbox", "archive", "lawsite"}
        for field in model._meta.concrete_fields
        if field.name.endswith("_es") and not isinstance(field, TranslationField)
    ]
    assert hand_written == []


@pytest.mark.parametrize("model", [PracticeArea, Person, TimeLimitRule])
def test_the_admin_form_has_every_translated_field_in_both_languages(admin_client, model):
    fields = translator.get_options_for_model(model).all_fields
    assert fields  # the model is registered
    instance = {PracticeArea: area, Person: PersonFactory, TimeLimitRule: TimeLimitRuleFactory}[model]()
    admin_path = f"/admin/articles/{model._meta.model_name}"
    for url in (f"{admin_path}/add/", f"{admin_path}/{instance.pk}/change/"):
        form = admin_client.get(url).content.decode()
        for field in fields:
            for language in LANGUAGES:
                assert f'name="{field}_{language}"' in form, (url, field, language)


def test_an_editor_enters_a_spanish_biography_in_the_admin(admin_client, client):
    person = PersonFactory(job_title="Partner", bio="Represents patients.")
    data = {
        "is_sample": "",
        "name": person.name,
        "slug": person.slug,
        "role": person.role,
        "job_title_en": "Partner",
        "job_title_es": "Socia",
        "bar_admissions_en": "",
        "bar_admissions_es": "",
        "bio_en": "Represents patients.",
        "bio_es": "Representa a pacientes en Nueva York.",
        "order": 0,
        "photo_alt_en": "",
        "photo_alt_es": "",
    }
    response = admin_client.post(f"/admin/articles/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not type(person).objects.get(pk=person.pk).bio_es  # public once approved
    approve_change(person)
    assert (person.bio_en, person.bio_es, person.job_title_es) == (
        "Represents patients.",
        "Representa a pacientes en Nueva York.",
        "Socia",
    )
    assert (
        "Representa a pacientes en Nueva York." in client.get(f"/es/equipo/{person.slug}/").content.decode()
    )
    # The history keeps both languages.
    assert person.history.first().bio_es == "Representa a pacientes en Nueva York."


# Stores a practice area and a person as the release before django-modeltranslation did (hand-written _es
# columns, "" for an empty Spanish name and slug), with that release's models.
SEED = """
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

apps = MigrationExecutor(connection).loader.project_state(("articles", "0023_time_limits")).apps
Area = apps.get_model("articles", "PracticeArea")
Person = apps.get_model("articles", "Person")
Area.objects.create(name="Medical malpractice", slug="medical-malpractice", summary="S", description="D",
    name_es="Negligencia médica", slug_es="negligencia-medica", summary_es="Resumen", description_es="Texto")
Area.objects.create(name="Personal injury", slug="personal-injury", summary="S2", name_es="", slug_es="")
Area.objects.create(name="Workers", slug="workers", summary="S3", name_es="", slug_es="")
Person.objects.create(name="Ann Lee", slug="ann-lee", role="attorney", job_title="Partner", bio="Bio",
    job_title_es="Socia", bio_es="Biografía", bar_admissions="New York, 2009",
    bar_admissions_es="Nueva York, 2009", photo_alt="Ann at her desk", photo_alt_es="Ann en su escritorio")
"""

CHANGED_RULES = """
from articles.models import TimeLimitRule
print(sum(rule.compute_hash() != rule.content_hash for rule in TimeLimitRule.objects.all()))
"""


def test_the_move_to_translation_fields_keeps_every_stored_value():
    name = f"test_lawsite_translations_{uuid.uuid4().hex[:8]}"
    url = scratch_url(name)
    server("create", name)
    try:
        env = processes.production_env(DATABASE_URL=url)
        manage(env, "migrate", "articles", "0023_time_limits", "--noinput")
        manage(env, "shell", "-v", "0", "-c", SEED)
        manage(env, "migrate", "--noinput")
        # The time-limits rules (stored by 0023) still hash to the text their attorney approved.
        changed = manage(env, "shell", "-v", "0", "-c", CHANGED_RULES).split()
        import psycopg

        with psycopg.connect(url) as conn:
            areas = conn.execute(
                "SELECT name_en, slug_en, summary_en, description_en, name_es, slug_es, summary_es, description_es "
                "FROM articles_practicearea ORDER BY slug_en"
            ).fetchall()
            people = conn.execute(
                "SELECT job_title_en, bio_en, bar_admissions_en, photo_alt_en, "
                "job_title_es, bio_es, bar_admissions_es, photo_alt_es FROM articles_person"
            ).fetchall()
    finally:
        server("drop", name)
    assert changed == ["0"]
    assert areas == [
        ("Medical malpractice", "medical-malpractice", "S", "D", "Negligencia médica", "negligencia-medica", "Resumen", "Texto"),
        ("Personal injury", "personal-injury", "S2", "", None, None, "", ""),
        ("Workers", "workers", "S3", "", None, None, "", ""),
    ]  # fmt: skip
    assert people == [
        ("Partner", "Bio", "New York, 2009", "Ann at her desk", "Socia", "Biografía", "Nueva York, 2009", "Ann en su escritorio")
    ]  # fmt: skip

"""More words Spanish-speaking readers in New York type, found by searching the Spanish demo articles as they
would: Caribbean and Mexican everyday words ("guagua", "contén", "aseguranza", "troca"), "mala praxis", the
ways people say a doctor missed something ("no vio", "se le pasó"), work and construction words ("obra",
"viga"), and the English terms they hear from lawyers and insurers. Phrases are matched with accents
ignored (articles/search.py), so one spelling is enough. Staff can edit or delete these in the admin, and
articles/demo_content/es/synonyms.txt lists every seeded phrase (a test keeps the two in agreement)."""

from django.db import migrations

# What readers type -> the words the Spanish articles use (websearch syntax, alternatives with " or ").
SPANISH_SYNONYMS = [
    # Everyday words from the Caribbean, Mexico and Central and South America.
    ("guagua", "autobús"),
    ("bus", "autobús"),
    ("contén", "bordillo or acera"),
    ("encintado", "bordillo or acera"),
    ("aseguranza", "seguro or aseguradora"),
    ("aseguransa", "seguro or aseguradora"),
    ("troca", "camión or accidente de auto"),
    ("la corte", "tribunal"),
    ("asilo", "hogar de ancianos"),
    ("casa de ancianos", "hogar de ancianos"),
    ("nursing home", "hogar de ancianos"),
    # Medical malpractice, in the words people use.
    ("mala praxis", "negligencia médica"),
    ("malapraxis", "negligencia médica"),
    ("malpraxis", "negligencia médica"),
    ("no vio", "diagnóstico"),
    ("se le pasó", "diagnóstico"),
    ("no me diagnosticaron", "diagnóstico"),
    ("no lo diagnosticaron", "diagnóstico"),
    ("no la diagnosticaron", "diagnóstico"),
    ("diagnosticaron tarde", "diagnóstico"),
    ("diagnóstico tardío", "diagnóstico"),
    ("diagnostico equivocado", "diagnóstico"),
    ("cirujano", "operación"),
    ("operaron", "operación"),
    ("pastilla", "medicamento or medicina"),
    ("pastillas", "medicamento or medicina"),
    ("medicina equivocada", "medicamento"),
    ("receta equivocada", "medicamento"),
    ("dar a luz", "parto"),
    ("nacimiento", "parto"),
    ("nació", "parto"),
    ("comadrona", "partera"),
    # Notices and claims.
    ("notificación de reclamo", "aviso de reclamo"),
    ("noticia de reclamo", "aviso de reclamo"),
    ("reclamo contra la ciudad", "aviso de reclamo"),
    # Work and construction.
    ("obra", "construcción"),
    ("viga", "construcción"),
    ("andamio", "construcción"),
    ("andamios", "construcción"),
    ("escalera", "andamio or construcción"),
    ("en el trabajo", "construcción or compensación laboral"),
    ("accidente de trabajo", "construcción or compensación laboral"),
    ("compensación obrera", "compensación laboral"),
    ("compensación de trabajadores", "compensación laboral"),
    ("workers comp", "compensación laboral"),
    ("scaffold law", "ley de andamios"),
    ("labor law", "ley de andamios or ley del trabajo"),
    # A death in the family; fees.
    ("murió", "muerte"),
    ("falleció", "muerte"),
    ("fallecimiento", "muerte"),
    ("muerte injusta", "muerte por negligencia"),
    ("wrongful death", "muerte por negligencia"),
    ("cuánto cobran", "honorarios"),
    ("cobran", "honorarios"),
    ("porcentaje", "honorarios"),
]


def seed_spanish_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchSynonym.objects.bulk_create(
        [
            SearchSynonym(language="es", phrase=phrase, expansion=expansion)
            for phrase, expansion in SPANISH_SYNONYMS
        ],
        ignore_conflicts=True,  # a phrase staff already added keeps their wording
    )


def remove_spanish_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchSynonym.objects.filter(
        language="es", phrase__in=[phrase for phrase, _ in SPANISH_SYNONYMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_approval_names_the_user")]

    operations = [migrations.RunPython(seed_spanish_synonyms, remove_spanish_synonyms)]

"""Load the demo people, practice areas and articles (articles/demo_content/*.md, and the Spanish site's
articles and practice-area texts in articles/demo_content/es/). Idempotent.

Rows are matched by slug and created only if missing, so running it again never duplicates anything and
never overwrites what staff have edited. The demo people are made-up sample profiles (is_sample, marked as
such in the admin; their admissions are made up too): replace them with the firm's own people, and have
counsel review every article, before the site goes live.
"""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.apps import apps as django_apps
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.approval import record_approval, record_rule_approval
from articles.migrations._time_limit_rules import seed_rules
from articles.models import Article, Person, PracticeArea, TimeLimitRule

CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "demo_content"
SPANISH_DIR = CONTENT_DIR / "es"
# In SPANISH_DIR but not an article: the Spanish names, slugs and texts of the practice areas.
SPANISH_AREAS_FILE = "practice_areas.md"
SCHEDULED_IN = timedelta(days=7)
DEMO_APPROVAL_NOTE = (
    "Demo content: approved in the name of the sample reviewing attorney by load_demo_content."
)
DEMO_RULE_APPROVAL_NOTE = "Demo content: approved in the name of a sample attorney by load_demo_content."

PEOPLE = [
    {
        "slug": "elena-marsh",
        "name": "Elena Marsh",
        "role": Person.Role.ATTORNEY,
        "job_title": "Attorney, medical malpractice",
        "is_sample": True,
        "bar_admissions": "New York, 2009; U.S. District Court, Southern and Eastern Districts of New York, 2010",
        "bar_admissions_es": "Nueva York, 2009; Tribunal Federal de Distrito, distritos Sur y Este de Nueva York, "
        "2010",
        "order": 1,
        "job_title_es": "Abogada, negligencia médica",
        "bio_es": "Elena representa a pacientes y a sus familias en casos en que la atención médica salió mal: "
        "diagnósticos que no se hicieron a tiempo, errores en una operación y lesiones en el parto. Revisa "
        "nuestros artículos sobre negligencia médica, y los que escribe David, para asegurarse de que describan "
        "la ley de Nueva York con exactitud y con palabras que cualquiera pueda entender.",
        "bio": "Elena represents patients and families in cases about medical care that went wrong: missed "
        "diagnoses, surgical errors and injuries at birth. She reviews our articles about medical malpractice, "
        "and the articles David writes, to make sure they describe New York law accurately and in words "
        "anyone can follow.",
    },
    {
        "slug": "david-kessler",
        "name": "David Kessler",
        "role": Person.Role.ATTORNEY,
        "job_title": "Attorney, personal injury",
        "is_sample": True,
        "bar_admissions": "New York, 2012; New Jersey, 2013",
        "bar_admissions_es": "Nueva York, 2012; Nueva Jersey, 2013",
        "order": 2,
        "job_title_es": "Abogado, lesiones personales",
        "bio_es": "David representa a personas lesionadas en choques, caídas y accidentes de construcción, "
        "incluidos los reclamos contra la Ciudad de Nueva York y otras entidades públicas, donde el aviso de "
        "reclamo, que vence muy pronto, muchas veces decide si un caso puede seguir adelante. Revisa nuestros artículos "
        "sobre lesiones personales y los que escribe Elena: ningún abogado revisa su propio trabajo.",
        "bio": "David represents people hurt in crashes, falls and construction accidents, including claims "
        "against New York City and other public bodies, where the early notice of claim often decides "
        "whether a case can go ahead at all. He reviews our personal-injury articles and the articles Elena "
        "writes: no attorney reviews their own work.",
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "role": Person.Role.STAFF,
        "job_title": "Legal content editor",
        "is_sample": True,
        "order": 3,
        "job_title_es": "Editora de contenido legal",
        "bio_es": "Priya escribe y edita las explicaciones de este sitio. Convierte las preguntas que nos hacen "
        "los clientes en artículos con palabras sencillas, y cada uno lo revisa uno de nuestros abogados antes "
        "de publicarse.",
        "bio": "Priya writes and edits the explainers on this site. She turns the questions clients ask us "
        "into plain-language articles, and every one of them is checked by one of our attorneys before it "
        "is published.",
    },
]

PRACTICE_AREAS = [
    {
        "slug": "medical-malpractice",
        "name": "Medical malpractice",
        "order": 1,
        "summary": "When a doctor, nurse, hospital or clinic falls below accepted medical standards and a patient "
        "is harmed: missed diagnoses, surgical errors, medication mistakes and birth injuries.",
        "description": "Medical malpractice cases ask two questions: did the care fall below what a careful "
        "provider would have done, and did that cause the harm? Answering them means reading the medical "
        "records closely and asking independent doctors for their view.\n\nNew York's deadline for a "
        "malpractice case is shorter than for most injury cases, and much shorter when a public, state or "
        "federal hospital is involved, so it is worth asking early.",
    },
    {
        "slug": "personal-injury",
        "name": "Personal injury",
        "order": 2,
        "summary": "Injuries caused by someone else's carelessness: car, truck and bicycle crashes, falls on "
        "unsafe property, construction-site accidents and dog bites.",
        "description": "If someone else's carelessness hurt you, New York law can make them pay for your medical "
        "bills, lost income and the pain the injury caused. There is a deadline for starting a claim, and "
        "some come very soon after the injury.\n\nSpecial rules apply to car crashes (no-fault insurance) and to construction "
        "workers (the Labor Law), and they often help the injured person.",
    },
    {
        "slug": "claims-against-public-bodies",
        "name": "Claims against public bodies",
        "order": 3,
        "summary": "Injuries involving New York City, a public hospital, a city bus or another government "
        "agency, where a sworn written notice of claim is due long before any lawsuit.",
        "description": "Claims against a city, a county, a public hospital or another public body follow their "
        "own rules. The most important one: a sworn written notice of claim has to be served soon after the "
        "incident, long before most people think about a lawsuit. Claims against the State go to the Court "
        "of Claims, which has its own early step.\n\nIf a public body may be involved in what happened to "
        "you, do not wait.",
    },
]


def parse(path: Path) -> dict:
    """A demo article file: "key: value" lines, a line with three dashes, then the Markdown body."""
    head, separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not separator:
        raise CommandError(f"{path.name}: no '---' line between the header and the body")
    fields = {}
    for line in head.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    missing = {"title", "slug", "summary", "practice_area", "author", "published"} - fields.keys()
    if missing:
        raise CommandError(f"{path.name}: missing {', '.join(sorted(missing))}")
    fields["body"] = body.strip() + "\n"
    return fields


def parse_spanish_areas(path: Path) -> list[dict]:
    """Blocks separated by "===" lines: "key: value" lines (area, name_es, slug_es, summary_es), a line with
    three dashes, then the Spanish description."""
    blocks = []
    for block in path.read_text(encoding="utf-8").split("\n===\n"):
        head, separator, description = block.strip().partition("\n---\n")
        if not separator:
            raise CommandError(f"{path.name}: a block has no '---' line before its description")
        fields = {
            key.strip(): value.strip()
            for key, _, value in (line.partition(":") for line in head.splitlines() if line.strip())
        }
        missing = {"area", "name_es", "slug_es", "summary_es"} - fields.keys()
        if missing:
            raise CommandError(f"{path.name}: a block is missing {', '.join(sorted(missing))}")
        fields["description_es"] = description.strip()
        blocks.append(fields)
    return blocks


def article_files() -> list[Path]:
    """English articles first, so Spanish ones can be linked to their counterparts."""
    spanish = [path for path in sorted(SPANISH_DIR.glob("*.md")) if path.name != SPANISH_AREAS_FILE]
    return [*sorted(CONTENT_DIR.glob("*.md")), *spanish]


class Command(BaseCommand):
    help = "Load demo people, practice areas and articles, creating only what is missing."

    @transaction.atomic
    def handle(self, *args, **options):
        people = {p["slug"]: Person.objects.get_or_create(slug=p["slug"], defaults=p)[0] for p in PEOPLE}
        for person in PEOPLE:  # Spanish texts for people loaded before there was a Spanish site
            if not people[person["slug"]].bio_es:
                Person.objects.filter(pk=people[person["slug"]].pk).update(
                    job_title_es=person["job_title_es"], bio_es=person["bio_es"]
                )
            if person.get("bar_admissions_es") and not people[person["slug"]].bar_admissions_es:
                Person.objects.filter(pk=people[person["slug"]].pk).update(
                    bar_admissions_es=person["bar_admissions_es"]
                )
        areas = {
            a["slug"]: PracticeArea.objects.get_or_create(slug=a["slug"], defaults=a)[0]
            for a in PRACTICE_AREAS
        }
        self.add_spanish_area_texts(areas)
        # Sample people and areas are public only once approved, like everything readers see: labelled demo.
        for row in [*people.values(), *areas.values()]:
            if row.approved_version_id is None:
                record_approval(
                    obj=row, approved_by=None, approver_name="demo content", note=DEMO_APPROVAL_NOTE
                )
        self.approve_time_limits(people)
        created = 0
        for path in article_files():
            data = parse(path)
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            fields = self.article_fields(data, people, areas)
            if counterpart := data.get("counterpart"):
                fields["counterpart"] = Article.objects.filter(slug=counterpart).first()
            article = Article.objects.create(**fields)
            if article.published_at and article.published_at < timezone.now():
                # A demo article has not been edited since it was published; update() skips auto_now.
                Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
                article.updated_at = article.published_at
            if article.status == Article.Status.PUBLISHED:
                # Nothing goes live without an attorney's approval: the sample reviewer approves the
                # sample text, so `make run` shows the demo articles (and the scheduled one goes live).
                record_approval(obj=article, approved_by=article.reviewed_by, note=DEMO_APPROVAL_NOTE)
            created += 1
        total = Article.objects.count()
        self.stdout.write(f"Demo content: {created} article(s) added, {total} in all.")

    @staticmethod
    def approve_time_limits(people: dict) -> None:
        """The demo articles quote the time-limits table, which quotes only approved rules. The rules the
        migration seeded (re-created here if a test emptied the table) that no attorney has approved yet are
        approved in the name of the sample attorney, labelled as demo content, as the articles are. A real
        firm's attorney approves them in the admin instead."""
        seed_rules(django_apps)
        attorney = next(person for person in people.values() if person.role == Person.Role.ATTORNEY)
        for rule in TimeLimitRule.objects.filter(approved_version__isnull=True):
            record_rule_approval(
                rule,
                user=attorney.user,
                name=attorney.name,
                note=DEMO_RULE_APPROVAL_NOTE,
                shown_hash=rule.proposed().compute_hash(),
            )

    @staticmethod
    def add_spanish_area_texts(areas: dict) -> None:
        """Spanish names and texts for the practice areas, filled in only where they are still empty."""
        path = SPANISH_DIR / SPANISH_AREAS_FILE
        if not path.exists():
            return
        for block in parse_spanish_areas(path):
            area = areas.get(block["area"])
            if area is None or area.name_es:
                continue
            for field in ("name_es", "slug_es", "summary_es", "description_es"):
                setattr(area, field, block[field][:300] if field == "summary_es" else block[field])
            area.save()

    @staticmethod
    def article_fields(data: dict, people: dict, areas: dict) -> dict:
        published = data["published"]
        if published == "draft":
            status, published_at = Article.Status.DRAFT, None
        elif published == "scheduled":
            status, published_at = Article.Status.PUBLISHED, timezone.now() + SCHEDULED_IN
        else:
            status = Article.Status.PUBLISHED
            published_at = timezone.make_aware(datetime.fromisoformat(published))
        reviewer = people.get(data.get("reviewer", ""))
        return {
            "slug": data["slug"],
            "title": data["title"],
            "summary": data["summary"][:300],
            "body": data["body"],
            "practice_area": areas[data["practice_area"]],
            "author": people[data["author"]],
            "reviewed_by": reviewer,
            "last_reviewed_on": date.fromisoformat(data["reviewed_on"]) if reviewer else None,
            "status": status,
            "published_at": published_at,
            "is_featured": data.get("featured", "no").lower() == "yes",
            "language": data.get("language", Article._meta.get_field("language").default),
        }

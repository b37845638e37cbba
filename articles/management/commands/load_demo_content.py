"""Load the demo people, practice areas and articles (articles/demo_content/*.md). Idempotent.

Rows are matched by slug and created only if missing, so running it again never duplicates anything and
never overwrites what staff have edited. The demo people are made-up sample profiles (is_sample, marked as
such in the admin; their admissions are made up too): replace them with the firm's own people, and have
counsel review every article, before the site goes live.
"""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.approval import record_approval
from articles.models import Article, Person, PracticeArea

CONTENT_DIR = Path(__file__).resolve().parent.parent.parent / "demo_content"
SCHEDULED_IN = timedelta(days=7)
DEMO_APPROVAL_NOTE = (
    "Demo content: approved in the name of the sample reviewing attorney by load_demo_content."
)

PEOPLE = [
    {
        "slug": "elena-marsh",
        "name": "Elena Marsh",
        "role": Person.Role.ATTORNEY,
        "job_title": "Attorney, medical malpractice",
        "is_sample": True,
        "bar_admissions": "New York, 2009; U.S. District Court, Southern and Eastern Districts of New York, 2010",
        "order": 1,
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
        "order": 2,
        "bio": "David represents people hurt in crashes, falls and construction accidents, including claims "
        "against New York City and other public bodies, where the 90-day notice of claim often decides "
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
        "records closely and asking independent doctors for their view.\n\nNew York gives most patients two "
        "and a half years to start a malpractice case, and much less when a public hospital is involved, so "
        "it is worth asking early.",
    },
    {
        "slug": "personal-injury",
        "name": "Personal injury",
        "order": 2,
        "summary": "Injuries caused by someone else's carelessness: car, truck and bicycle crashes, falls on "
        "unsafe property, construction-site accidents and dog bites.",
        "description": "If someone else's carelessness hurt you, New York law can make them pay for your medical "
        "bills, lost income and the pain the injury caused. Most personal-injury claims must be started "
        "within three years.\n\nSpecial rules apply to car crashes (no-fault insurance) and to construction "
        "workers (the Labor Law), and they often help the injured person.",
    },
    {
        "slug": "claims-against-public-bodies",
        "name": "Claims against public bodies",
        "order": 3,
        "summary": "Injuries involving New York City, a public hospital, a city bus or another government "
        "agency, where a written notice of claim is usually due within 90 days.",
        "description": "Claims against a city, a county, a public hospital or another public body follow their "
        "own rules. The most important one: a written notice of claim usually has to be served within 90 "
        "days of the incident, long before most people think about a lawsuit.\n\nIf a public body may be "
        "involved in what happened to you, do not wait.",
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


class Command(BaseCommand):
    help = "Load demo people, practice areas and articles, creating only what is missing."

    @transaction.atomic
    def handle(self, *args, **options):
        people = {p["slug"]: Person.objects.get_or_create(slug=p["slug"], defaults=p)[0] for p in PEOPLE}
        areas = {
            a["slug"]: PracticeArea.objects.get_or_create(slug=a["slug"], defaults=a)[0]
            for a in PRACTICE_AREAS
        }
        created = 0
        for path in sorted(CONTENT_DIR.glob("*.md")):
            data = parse(path)
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            article = Article.objects.create(**self.article_fields(data, people, areas))
            if article.published_at and article.published_at < timezone.now():
                # A demo article has not been edited since it was published; update() skips auto_now.
                Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
                article.updated_at = article.published_at
            if article.status == Article.Status.PUBLISHED:
                # Nothing goes live without an attorney's approval: the sample reviewer approves the
                # sample text, so `make run` shows the demo articles (and the scheduled one goes live).
                record_approval(article=article, approved_by=article.reviewed_by, note=DEMO_APPROVAL_NOTE)
            created += 1
        total = Article.objects.count()
        self.stdout.write(f"Demo content: {created} article(s) added, {total} in all.")

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
        }

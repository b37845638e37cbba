from datetime import date, timedelta

import factory
from django.utils import timezone

from articles.approval import record_approval
from articles.models import Article, Person, PracticeArea, TimeLimitRule
from consultations.models import ConsultationRequest


class PracticeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeArea
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Practice area {n}")
    slug = factory.Sequence(lambda n: f"practice-area-{n}")
    summary = "Cases about a kind of injury, explained in plain words."
    description = "A short description of this practice area."

    @factory.post_generation
    def approved(area, create, extracted, **kwargs):
        """Approved (so public) unless ``approved=False`` is passed."""
        if create and extracted is not False:
            record_approval(obj=area, approved_by=None, approver_name="Tests")


class TimeLimitRuleFactory(factory.django.DjangoModelFactory):
    """A made-up rule (not New York law) for tests of the table's mechanics; tests about the real rules use
    the `time_limits` fixture (the migration's rules)."""

    class Meta:
        model = TimeLimitRule

    key = factory.Sequence(lambda n: f"test-rule-{n}")
    kind = "deadline"
    starts = "incident"
    period_days = 60
    applies_what = ["car"]
    applies_who = ["private"]
    name = "Test step"
    statement = "do the test step within 60 days of the incident (Test Law § 1)"
    action = "do the test step"
    period = "60 days"
    trigger = "from the day of the incident"
    source = "Test Law § 1"
    name_es = "Paso de prueba"
    statement_es = "hacer el paso de prueba dentro de 60 días a partir del incidente (Ley de Prueba, art. 1)"
    action_es = "hacer el paso de prueba"
    period_es = "60 días"
    trigger_es = "a partir del día del incidente"
    source_es = "Ley de Prueba, art. 1"
    last_checked_by = "Tests"
    last_checked_on = factory.LazyFunction(date.today)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Attorney {n}")
    slug = factory.Sequence(lambda n: f"attorney-{n}")
    role = Person.Role.ATTORNEY
    job_title = "Attorney"
    bio = "Represents injured people in New York."

    @factory.post_generation
    def approved(person, create, extracted, **kwargs):
        """Approved (so public) unless ``approved=False`` is passed."""
        if create and extracted is not False:
            record_approval(obj=person, approved_by=None, approver_name="Tests")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, attorney-reviewed and approved article; use .draft() / .scheduled() for the other states,
    and ``approved=False`` for one that waits for an attorney's approval."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "What this article explains, in one plain sentence for the reader."
    body = "Intro.\n\n## First part\n\nText.\n\n## Second part\n\n- a point\n- another\n\n## Third part\n\nEnd.\n"
    practice_area = factory.SubFactory(PracticeAreaFactory)
    author = factory.SubFactory(PersonFactory)
    reviewed_by = factory.SelfAttribute("author")
    last_reviewed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))

    @factory.post_generation
    def approved(article, create, extracted, **kwargs):
        """Published articles are approved by their reviewer unless ``approved=False`` is passed."""
        if create and extracted is not False and article.status == Article.Status.PUBLISHED:
            record_approval(obj=article, approved_by=article.reviewed_by)

    @classmethod
    def draft(cls, **kwargs):
        return cls(status=Article.Status.DRAFT, published_at=None, **kwargs)

    @classmethod
    def scheduled(cls, when=None, **kwargs):
        return cls(published_at=when or timezone.now() + timedelta(days=3), **kwargs)


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    """A stored consultation request as the form would leave it (flags are computed on save)."""

    class Meta:
        model = ConsultationRequest

    name = "Sam Okafor"
    email = "sam@example.org"
    phone = "718-555-0199"
    practice_area = factory.SubFactory(PracticeAreaFactory, slug="personal-injury", name="Personal injury")
    what_happened = "Fell on a broken step outside a clinic."
    what = "fall"
    who = "private"
    disclaimer_version = "2026-11-25"


def approve_change(obj, person=None):
    """An attorney approves what waits for the object (for tests of what readers get once it is approved)."""
    return record_approval(obj=obj, approved_by=person or getattr(obj, "reviewed_by", None))

"""Articles: the text readers see, its rendering on save, its checks. Which articles are public (and what a
listing or a page loads) is articles/models/article_queries.py; old slugs are articles/models/redirects.py;
edits of an approved article wait in its draft (articles/models/approved_content.py)."""

import functools
from datetime import UTC, date, datetime, time, tzinfo

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Value
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from articles import firm_facts
from articles.addresses import address
from articles.i18n import Language, search_config
from articles.markdown import ShortFormError, render_markdown
from articles.models.approved_content import ApprovedContent, values_hash
from articles.models.article_queries import REVIEW_DUE_AFTER, ArticleQuerySet
from articles.models.people import Person
from articles.models.practice_areas import PracticeArea
from articles.models.redirects import ArticleRedirect
from articles.models.time_limits import short_form_rules


class Article(ApprovedContent):
    changes_public_pages = True
    REVIEW_DUE_AFTER = REVIEW_DUE_AFTER
    READER_TEXT = ("title", "summary", "body")  # what a reader would call "the article"
    # Every field of the article a visitor sees: an edit of one of them after approval waits in a draft.
    APPROVED_FIELDS = (
        "title", "slug", "summary", "seo_title", "social_image", "body", "author", "reviewed_by",
        "last_reviewed_on", "practice_area",
    )  # fmt: skip
    DERIVED_FIELDS = (
        "body_html",
        "toc",
        "reading_minutes",
        "body_text",
        "search_vector",
        "content_hash",
        "updated_at",
    )

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(
        max_length=160,
        unique=True,
        help_text=(
            "The end of the web address (/articles/this-part/): lowercase words joined by hyphens. "
            "Changing it later is safe: the old address redirects here."
        ),
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two plain sentences. Shown under the title and used as the meta description.",
    )
    seo_title = models.CharField(
        max_length=70, blank=True, help_text="Optional shorter title for search engines and browser tabs."
    )
    social_image = models.ImageField(
        upload_to="social/", blank=True, help_text="Optional image for link previews."
    )
    body = MarkdownxField(
        help_text="Markdown. Use ## for section headings; they build the table of contents."
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    # Site search (articles/search.py): plain text of the body for snippets, and a weighted vector kept
    # current on save (title A, summary and headings B, body C).
    body_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(editable=False, null=True)
    practice_area = models.ForeignKey(PracticeArea, on_delete=models.PROTECT, related_name="articles")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="articles_written")
    reviewed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="articles_reviewed",
        null=True,
        blank=True,
        limit_choices_to={"role": Person.Role.ATTORNEY},
        help_text="The attorney who checked the article.",
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it goes live. A future time schedules it; it appears by itself.",
    )
    is_featured = models.BooleanField(default=False, help_text="Show on the home page.")
    language = models.CharField(
        max_length=2,
        choices=Language,
        default=Language.ENGLISH,
        help_text="English articles live at /articles/…, Spanish ones at /es/articulos/….",
    )
    # The same subject written for readers of the other language (not a word-for-word translation). Kept
    # symmetric by save(): linking A to B links B to A. Pages point at each other with hreflang.
    counterpart = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The article on the same subject in the other language, if there is one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Readers see "Updated <date>", so only a change to what they read moves it (see save()), not a new slug,
    # a featured flag or a status change.
    updated_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When the title, summary or body last changed."
    )
    # sha256 of what an attorney approves (articles/models/approval.py: approval_hash), kept current on save.
    content_hash = models.CharField(max_length=64, editable=False, default="")
    # Emails about it in the outbox (approval requests, review reminders; articles/emails.py), deleted with it.
    outbox_emails = GenericRelation("outbox.OutboundEmail", related_query_name="article")

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "body_html", "toc", "reading_minutes", "body_text", "search_vector", "content_hash",
            "approved_version",  # restoring an old revision must never restore an old approval
        ]
    )  # fmt: skip

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published"),
            models.Index(fields=["language", "status", "published_at"], name="article_language_published"),
            GinIndex(fields=["search_vector"], name="article_search_vector"),
        ]
        constraints = [
            models.CheckConstraint(
                name="article_published_needs_date",
                condition=Q(status="draft") | Q(published_at__isnull=False),
            ),
            models.CheckConstraint(
                name="article_reviewer_and_date_together",
                condition=Q(reviewed_by__isnull=True, last_reviewed_on__isnull=True)
                | Q(reviewed_by__isnull=False, last_reviewed_on__isnull=False),
            ),
            # Readers are told who checked an article: nothing goes live unreviewed.
            models.CheckConstraint(
                name="article_published_needs_review",
                condition=Q(status="draft") | Q(reviewed_by__isnull=False),
            ),
            models.CheckConstraint(name="article_language_valid", condition=Q(language__in=["en", "es"])),
            models.CheckConstraint(
                name="article_counterpart_not_itself",
                condition=Q(counterpart__isnull=True) | ~Q(counterpart=models.F("pk")),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        loaded = article.__dict__.get("social_image")  # absent when deferred
        if loaded is not None:  # the file cleanup compares with it (articles/signals.py)
            article._loaded_social_image = getattr(loaded, "name", loaded) or ""
        return article

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if (fields is None or "social_image" in fields) and "social_image" in self.__dict__:
            # The row was read again: its image now is what the next save compares with, or a file another
            # save put there meanwhile would be left public with no row naming it (articles/signals.py).
            self._loaded_social_image = self.social_image.name or ""

    def save_live(self, **kwargs):
        """Write the row (ApprovedContent.save sends an edit of an approved article to its draft instead)."""
        self.normalise()
        rendered = self.render_body()
        self.body_html, self.toc, self.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        self.body_text = rendered.text
        table_text = rendered.table_text
        self.content_hash = self.compute_content_hash()
        with transaction.atomic():
            before = (
                Article.objects.filter(pk=self.pk).values_list("slug", *self.READER_TEXT).first()
                if self.pk
                else None
            )
            old_slug, *old_text = before or (None,)
            if before and tuple(old_text) != tuple(getattr(self, name) for name in self.READER_TEXT):
                self.updated_at = timezone.now()
            self._unlink_other_counterparts()
            super().save_live(**kwargs)
            if self.counterpart_id:  # the link goes both ways
                Article.objects.filter(pk=self.counterpart_id).update(counterpart=self)
            # The slug now belongs to this article; an old redirect with the same slug must not shadow it.
            ArticleRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                ArticleRedirect.objects.create(old_slug=old_slug, article=self)
            Article.objects.filter(pk=self.pk).update(search_vector=self.build_search_vector(table_text))

    def get_absolute_url(self):
        """/articles/<slug>/ for English, /es/articulos/<slug>/ for Spanish, whatever page asks."""
        return address("articles:detail", self.language, self.slug)

    def normalise(self) -> None:
        # Browsers send a textarea with CRLF line ends and forms strip the ends; store one form of the text,
        # so a save from the admin that changed nothing is not taken for an edit (see READER_TEXT).
        self.body = (self.body or "").replace("\r\n", "\n").replace("\r", "\n").strip()

    def save_other_fields(self, **kwargs):
        """An approved article's other columns (status, publication time, counterpart…): the counterpart link
        stays symmetric as in save_live()."""
        with transaction.atomic():
            self._unlink_other_counterparts()
            super().save_other_fields(**kwargs)
            if self.counterpart_id:
                Article.objects.filter(pk=self.counterpart_id).update(counterpart=self)

    def render_body(self, rules=None):
        """The body as HTML, with each time limit it quotes ({{limit:…}}) in the approved wording of the
        time-limits table and each fact about the firm ({{firm:…}}, articles/firm_facts.py), in the article's
        language. Raises ShortFormError for a rule the table lacks."""
        return render_markdown(
            firm_facts.expand(self.body, self.language),
            language=self.language,
            limits=short_form_rules() if rules is None else rules,
        )

    @property
    def quotes_time_limits(self) -> bool:
        """The article states a deadline from the time-limits table (the page links to /time-limits/)."""
        return 'class="time-limit"' in (self.body_html or "")

    def _unlink_other_counterparts(self) -> None:
        """Before saving a link A-B: whoever pointed at A (other than B) or at B (other than A) lets go, so
        each article has at most one counterpart and the unique column never sees two claims at once."""
        if self.pk:
            Article.objects.filter(counterpart_id=self.pk).exclude(pk=self.counterpart_id or 0).update(
                counterpart=None
            )
        if self.counterpart_id:
            Article.objects.filter(counterpart_id=self.counterpart_id).exclude(pk=self.pk or 0).update(
                counterpart=None
            )

    @property
    def public_counterpart(self):
        """The counterpart, if it is published (readers are never sent to a draft)."""
        counterpart = self.counterpart if self.counterpart_id else None
        return counterpart if counterpart is not None and counterpart.is_public else None

    def headings_text(self) -> str:
        return " ".join(
            [item["title"] for item in self.toc]
            + [child["title"] for item in self.toc for child in item["children"]]
        )

    def build_search_vector(self, table_text: str = ""):
        """Title, summary and headings, body. Table cells are searchable (table_text) although body_text,
        which snippets are cut from, leaves them out. Spanish words get Spanish stemming and stop words."""
        config = search_config(self.language)
        return (
            SearchVector(Value(self.title), weight="A", config=config)
            + SearchVector(Value(f"{self.summary} {self.headings_text()}"), weight="B", config=config)
            + SearchVector(Value(f"{self.body_text} {table_text}"), weight="C", config=config)
        )

    def compute_content_hash(self) -> str:
        """sha256 of what an attorney approves: every approved field, with the body as rendered."""
        return values_hash(self.shown_values())

    def shown_values(self) -> dict:
        return {**super().shown_values(), "body_html": self.body_html}

    def prepare_proposed(self) -> None:
        rendered = self.render_body()
        self.body_html, self.toc, self.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        self.body_text = rendered.text
        self.content_hash = self.compute_content_hash()

    def approval_parts(self) -> list[tuple[str, str, bool]]:
        """What the approval screen shows, as readers get it: (label, text, whether it is HTML)."""
        review = "(no reviewing attorney)"
        if self.reviewed_by_id:
            when = f" on {self.last_reviewed_on:%B %-d, %Y}" if self.last_reviewed_on else ""
            review = f"Legally reviewed by {self.reviewed_by.name}{when}"
        return [
            ("Title", self.title, False),
            ("Summary (also the description search engines show)", self.summary, False),
            ("Title for search engines and browser tabs", self.seo_title or "(the title)", False),
            ("Web address", self.get_absolute_url(), False),
            ("Social image", self.social_image.name if self.social_image else "(none)", False),
            ("Author", self.author.name if self.author_id else "", False),
            ("Legal review", review, False),
            ("Practice area", self.practice_area.name if self.practice_area_id else "", False),
            ("Body", self.body_html, True),
        ]

    def approved_record(self) -> dict:
        """What the approval record keeps: the shown values and what readers get from them."""
        return {
            **self.shown_values(),
            "toc": self.toc,
            "reading_minutes": self.reading_minutes,
            "text_updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self.approved_version_id is not None
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_public

    @property
    def review_is_old(self) -> bool:
        """Reviewed longer ago than REVIEW_DUE_AFTER: readers are told the law may have moved on."""
        return bool(
            self.last_reviewed_on and timezone.localdate() - self.last_reviewed_on > self.REVIEW_DUE_AFTER
        )

    @property
    def public_at(self):
        """When readers are told the article was published: published_at, or the start of the day of the legal
        review that approved the text shown, whichever is later. A page never says an article went public
        before the attorney's review that approved it (a demo or imported article may carry an earlier
        published_at). Lists keep their order by published_at."""
        return public_date(self.published_at, self.last_reviewed_on)

    @property
    def was_updated(self) -> bool:
        """Updated noticeably after publication (worth showing an "Updated" date)."""
        public_at = self.public_at
        return bool(public_at and (self.updated_at - public_at).days >= 1)

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED and not self.published_at:
            errors["published_at"] = "Choose when the article goes live (now or a future time)."
        if bool(self.reviewed_by_id) != bool(self.last_reviewed_on):
            field = "last_reviewed_on" if self.reviewed_by_id else "reviewed_by"
            errors[field] = "The reviewing attorney and the review date go together: fill in both or neither."
        elif self.status == self.Status.PUBLISHED and not self.reviewed_by_id:
            errors["reviewed_by"] = (
                "An attorney must review the article before it is published or scheduled. Choose the "
                "reviewer and the review date, or keep it as a draft."
            )
        if unknown := firm_facts.unknown_short_forms(self.body or ""):
            errors["body"] = (
                f"{', '.join(unknown)}: not a fact about the firm (use {{{{firm:expenses}}}}; README, Articles)."
            )
        else:
            try:
                self.render_body()
            except ShortFormError as error:
                errors["body"] = error.problems
        if self.counterpart_id:
            if self.pk and self.counterpart_id == self.pk:
                errors["counterpart"] = "An article cannot be its own counterpart."
            elif self.counterpart.language == self.language:
                errors["counterpart"] = (
                    "The counterpart must be written in the other language "
                    f"({Language(self.counterpart.language).label} is this article's language too)."
                )
        if errors:
            raise ValidationError(errors)


def public_date(published_at: datetime | None, last_reviewed_on) -> datetime | None:
    """Article.public_at from its two columns (an article card has them without the instance)."""
    if published_at is None or last_reviewed_on is None:
        return published_at
    local, utc = _start_of_day(last_reviewed_on, timezone.get_default_timezone())
    return published_at if published_at >= utc else local  # max(), compared in the database's zone


@functools.lru_cache(maxsize=4096)
def _start_of_day(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Midnight at the start of `day` in the firm's time zone (a review date is a New York date), as a New
    York datetime and in UTC, as the database's datetimes are (comparing datetimes of two zones works out
    both offsets). Once per day: an article page asks for its own public date and its cards' about twenty
    times, and each cost ~3 us (the current time zone read from a context-local, make_aware, the two-zone
    comparison); now ~0.2 us (timeit, December 2026). The zone is part of the key, so a test that changes
    TIME_ZONE gets its own."""
    local = timezone.make_aware(datetime.combine(day, time.min), zone)
    return local, local.astimezone(UTC)

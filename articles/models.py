import gzip
import hashlib
import json
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from articles import firm_facts
from articles.i18n import Language, current_language, search_config
from articles.markdown import render_markdown

# PostgreSQL text search configuration for English: stemming with accents folded (created in migration
# 0003). Spanish articles use "lawsite_spanish" (migration 0014); see articles.i18n.search_config().
SEARCH_CONFIG = "lawsite_english"


class ContentState(models.Model):
    """One row, shared by every app server: the page cache's content version and upcoming publication times.

    Any edit to a model marked ``changes_public_pages`` bumps ``version`` (articles/page_cache.py), so every
    worker stops using pages rendered before it. ``upcoming`` lists the times scheduled articles go live,
    so a page cached before such a time is not served after it, with no cron and no write on GET.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=1)
    upcoming = models.JSONField(default=list, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(name="contentstate_single_row", condition=models.Q(id=1))]

    def __str__(self):
        return f"content version {self.version}"


class PracticeArea(models.Model):
    changes_public_pages = True  # an edit clears the page cache (articles/page_cache.py)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=300,
        help_text="One or two plain sentences; shown on cards and used as the meta description.",
    )
    description = models.TextField(blank=True, help_text="A few short paragraphs for the practice-area page.")
    # The Spanish site (/es/areas-de-practica/<slug_es>/) shows these; empty ones fall back to English.
    name_es = models.CharField("name (Spanish)", max_length=100, blank=True)
    slug_es = models.SlugField(
        "slug (Spanish)",
        max_length=100,
        blank=True,
        help_text="The end of the Spanish address (/es/areas-de-practica/this-part/). Empty: the English slug.",
    )
    summary_es = models.CharField("summary (Spanish)", max_length=300, blank=True)
    description_es = models.TextField("description (Spanish)", blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug_es"], condition=~Q(slug_es=""), name="practicearea_slug_es_unique"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The address in the active language (the English one outside a Spanish page)."""
        return self.url_in(current_language())

    def _local(self, field: str) -> str:
        """The field in the active language: the Spanish text on Spanish pages when there is one."""
        if current_language() == Language.SPANISH and getattr(self, f"{field}_es"):
            return getattr(self, f"{field}_es")
        return getattr(self, field)

    @property
    def local_name(self) -> str:
        return self._local("name")

    @property
    def local_summary(self) -> str:
        return self._local("summary")

    @property
    def local_description(self) -> str:
        return self._local("description")

    def url_in(self, language: str) -> str:
        with translation.override(language):
            slug = (self.slug_es or self.slug) if language == Language.SPANISH else self.slug
            return reverse("articles:practice_area", kwargs={"slug": slug})


class PersonQuerySet(models.QuerySet):
    def approvers(self):
        """Attorneys with an active staff account: who may approve articles, and who is told when one waits."""
        return self.filter(role=Person.Role.ATTORNEY, user__is_active=True, user__is_staff=True)


class Person(models.Model):
    """Attorneys and staff: authors and legal reviewers of articles, introduced on /about/."""

    changes_public_pages = True

    class Role(models.TextChoices):
        ATTORNEY = "attorney", "Attorney"
        STAFF = "staff", "Staff"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, help_text='For example "Partner" or "Legal content editor".')
    bio = models.TextField(help_text="A short plain-text biography shown on the About page.")
    # Shown on the Spanish site (/es/nosotros/, article bylines); empty ones fall back to English.
    job_title_es = models.CharField("job title (Spanish)", max_length=120, blank=True)
    bio_es = models.TextField("biography (Spanish)", blank=True)
    bar_admissions = models.CharField(
        max_length=300,
        blank=True,
        help_text='Courts the attorney is admitted to practise before, with the year, e.g. "New York, 2009; '
        'U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
    )
    photo = models.ImageField(
        upload_to="people/originals/",
        blank=True,
        help_text="A portrait (JPEG, PNG or WebP), ideally 400 pixels wide or more. It is cropped to 4:5 and "
        "resized when saved.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
    )
    # Resized copies of the photo (articles/photos.py), made when the photo is saved in the admin:
    # {"width": w, "height": h, "webp": {"96": url-path, ...}, "jpeg": {...}}.
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    is_sample = models.BooleanField(
        "sample profile",
        default=False,
        help_text="A made-up person from the demo content, not a member of the firm. Replace or delete "
        "every sample profile before the site goes live.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    # An attorney with an active staff account may approve articles for publication (articles/approval.py).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="staff account",
        help_text="For an attorney: the staff account that signs in to approve articles. Leave empty "
        "for people who do not approve.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["user", "photo_renditions"])

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})

    @property
    def local_job_title(self) -> str:
        """The job title in the active language (Spanish on Spanish pages, when there is one)."""
        spanish = current_language() == Language.SPANISH and self.job_title_es
        return self.job_title_es if spanish else self.job_title

    @property
    def local_bio(self) -> str:
        spanish = current_language() == Language.SPANISH and self.bio_es
        return self.bio_es if spanish else self.bio

    @property
    def initials(self) -> str:
        """For the monogram shown when there is no photo: first letters of the first and last names."""
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalpha()]
        return "".join(w[0] for w in (words[:1] + words[1:][-1:])).upper()

    @property
    def photo_description(self) -> str:
        return self.photo_alt or gettext("Portrait of %(name)s") % {"name": self.name}

    @property
    def portrait(self) -> dict | None:
        """The resized photo for templates (includes/portrait.html): srcsets, a fallback src, its size."""
        renditions = self.photo_renditions or {}
        if not (self.photo and renditions.get("webp") and renditions.get("jpeg")):
            return None
        media = settings.MEDIA_URL

        def srcset(key):
            return ", ".join(f"{media}{name} {width}w" for width, name in renditions[key].items())

        jpeg = renditions["jpeg"]
        return {
            "webp_srcset": srcset("webp"),
            "jpeg_srcset": srcset("jpeg"),
            "src": media + jpeg[str(max(int(w) for w in jpeg))],
            "width": renditions["width"],
            "height": renditions["height"],
        }

    @property
    def can_approve(self) -> bool:
        """An attorney whose staff account is active: the only people who may approve articles."""
        user = self.user
        return self.role == self.Role.ATTORNEY and user is not None and user.is_active and user.is_staff


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "public": published, approved by an attorney, and its time has come.

        What readers see of it is the approved text (``live_text()``), even if it has been edited since.
        """
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__lte=timezone.now(),
            approved_version__isnull=False,
        )

    def scheduled(self):
        """Set to go live at a future time (whether or not approved yet: it goes live only once approved)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def awaiting_approval(self):
        """Set to publish (now or later) but the current text has no attorney approval yet."""
        return self.filter(status=Article.Status.PUBLISHED).filter(
            Q(approved_version__isnull=True) | ~Q(approved_version__content_hash=F("content_hash"))
        )

    def live_text(self):
        """Articles shown to readers as their attorney-approved text (see ArticleApproval)."""
        queryset = self.select_related("approved_version")
        queryset._iterable_class = ApprovedTextIterable  # the documented hook values() itself uses
        return queryset

    def review_due(self):
        """Articles whose legal review is over REVIEW_DUE_AFTER old: laws change, and readers see the date."""
        return self.filter(last_reviewed_on__lt=timezone.localdate() - Article.REVIEW_DUE_AFTER)

    def in_language(self, language: str):
        return self.filter(language=language)

    def missing_counterpart(self):
        return self.filter(counterpart__isnull=True)

    def for_listing(self):
        """Just what an article card shows, as approved: the large text and search columns stay in the
        database."""
        return self.live_text().select_related("practice_area").only(
            "title", "slug", "summary", "language", "reading_minutes", "published_at", "practice_area__name",
            "practice_area__slug", "practice_area__name_es", "practice_area__slug_es", "approved_version__title",
            "approved_version__summary", "approved_version__reading_minutes",
            "approved_version__last_reviewed_on",  # for the public date (Article.public_at)
        )  # fmt: skip

    def for_page(self):
        """An article page's needs: everything but the Markdown source and the search columns, with the
        approved version (and its reviewer) and the counterpart (for its address and whether it is public)
        joined in the same query.

        Keep the join list short: at nine tables PostgreSQL spent ~2-5 ms planning this query against 0.2 ms
        running it (EXPLAIN ANALYZE). The approver's name is only shown to staff previewing an edit, so it
        is loaded on demand there rather than joined for every reader."""
        return self.select_related(
            "practice_area",
            "author",
            "reviewed_by",
            "approved_version__reviewed_by",
            "counterpart",
        ).defer(
            "body", "body_text", "search_vector", "counterpart__body", "counterpart__body_html",
            "counterpart__body_text", "counterpart__search_vector", "counterpart__toc",
        )  # fmt: skip


class ApprovedTextIterable(ModelIterable):
    """Yields articles whose reader-facing fields hold the approved text (Article.use_approved_text)."""

    SNAPSHOT_FIELDS = ("title", "summary", "body_html", "toc", "reading_minutes")

    def __iter__(self):
        for article in super().__iter__():
            article.use_approved_text()
            yield article


class Article(models.Model):
    changes_public_pages = True
    REVIEW_DUE_AFTER = timedelta(days=365)
    READER_TEXT = ("title", "summary", "body")  # what a reader would call "the article"

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
    # sha256 of what an attorney approves (articles/approval.py: approval_hash), kept current on save.
    content_hash = models.CharField(max_length=64, editable=False, default="")
    # The approval readers are shown. Published articles are public only with one; an edit after it
    # waits for a new approval while readers keep seeing this one's text.
    approved_version = models.OneToOneField(
        "ArticleApproval",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

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

    def save(self, **kwargs):
        # Browsers send a textarea with CRLF line ends and forms strip the ends; store one form of the text,
        # so a save from the admin that changed nothing is not taken for an edit (see READER_TEXT).
        self.body = self.body.replace("\r\n", "\n").replace("\r", "\n").strip()
        rendered = render_markdown(firm_facts.expand(self.body, self.language))
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
            super().save(**kwargs)
            if self.counterpart_id:  # the link goes both ways
                Article.objects.filter(pk=self.counterpart_id).update(counterpart=self)
            # The slug now belongs to this article; an old redirect with the same slug must not shadow it.
            ArticleRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug and old_slug != self.slug:
                ArticleRedirect.objects.create(old_slug=old_slug, article=self)
            Article.objects.filter(pk=self.pk).update(search_vector=self.build_search_vector(table_text))

    def get_absolute_url(self):
        """/articles/<slug>/ for English, /es/articulos/<slug>/ for Spanish, whatever page asks."""
        with translation.override(self.language):
            return reverse("articles:detail", kwargs={"slug": self.slug})

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
        return approval_hash(
            title=self.title,
            summary=self.summary,
            body_html=self.body_html,
            reviewed_by_id=self.reviewed_by_id,
            last_reviewed_on=self.last_reviewed_on,
        )

    @property
    def is_approved(self) -> bool:
        """The current text is the approved text."""
        return (
            self.approved_version_id is not None and self.approved_version.content_hash == self.content_hash
        )

    @property
    def has_unapproved_changes(self) -> bool:
        """Live with an approved version, but edited since: readers still see the approved text."""
        return self.approved_version_id is not None and not self.is_approved

    def use_approved_text(self) -> None:
        """Show readers the approved text: copy the approval's snapshot over the loaded fields (in memory)."""
        if not self.approved_version_id:
            return
        approval = self.approved_version
        for name in ApprovedTextIterable.SNAPSHOT_FIELDS:
            if name in approval.__dict__:  # loaded (for_listing() loads only a few)
                setattr(self, name, getattr(approval, name))
        if "reviewed_by_id" in approval.__dict__:
            self.reviewed_by_id = approval.reviewed_by_id
            if "reviewed_by" in approval._state.fields_cache:
                self.reviewed_by = approval.reviewed_by
            self.last_reviewed_on = approval.last_reviewed_on
        elif "last_reviewed_on" in approval.__dict__:
            self.last_reviewed_on = approval.last_reviewed_on
        if "text_updated_at" in approval.__dict__:
            self.updated_at = approval.text_updated_at

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
        if self.published_at is None or self.last_reviewed_on is None:
            return self.published_at
        reviewed = timezone.make_aware(datetime.combine(self.last_reviewed_on, time.min))
        return max(self.published_at, reviewed)

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


def approval_hash(*, title, summary, body_html, reviewed_by_id, last_reviewed_on) -> str:
    """sha256 of the rendered article as readers get it: title, summary, HTML body and the review line.

    A pure function of its arguments (the data migration that introduced approvals uses it too).
    """
    payload = json.dumps(
        {
            "title": title,
            "summary": summary,
            "body_html": body_html,
            "reviewed_by": reviewed_by_id,
            "last_reviewed_on": last_reviewed_on.isoformat() if last_reviewed_on else None,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ArticleApproval(models.Model):
    """An attorney's approval of one exact text of an article, with a copy of that text.

    Readers see the copy held by ``Article.approved_version``; rows are never edited or deleted in the
    admin, so together they record who approved what went live, and when.
    """

    changes_public_pages = True  # an approval can put an article (or a new text) live

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="approvals")
    approved_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="approvals")
    approved_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(
        max_length=64, help_text="sha256 of the approved title, summary, body and review line."
    )
    note = models.CharField(max_length=300, blank=True)
    # The approved text, as readers are shown it.
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    body_html = models.TextField()
    toc = models.JSONField(default=list)
    reading_minutes = models.PositiveSmallIntegerField(default=1)
    reviewed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True)
    last_reviewed_on = models.DateField(null=True)
    text_updated_at = models.DateTimeField(help_text="The article's “updated” time when it was approved.")

    class Meta:
        ordering = ["-approved_at", "-pk"]
        get_latest_by = "approved_at"
        indexes = [models.Index(fields=["article", "-approved_at"], name="approval_article_latest")]

    def __str__(self):
        return f"{self.title} — approved by {self.approved_by} on {timezone.localtime(self.approved_at):%Y-%m-%d %H:%M %Z}"


class ArticleRedirect(models.Model):
    """A slug an article used to have: /articles/<old_slug>/ answers 301 to the article's current address."""

    changes_public_pages = True

    old_slug = models.SlugField(max_length=160, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"/articles/{self.old_slug}/ → {self.article.slug}"


class SearchSynonym(models.Model):
    """Everyday words readers type, and the legal terms our articles use for them ("med mal")."""

    changes_public_pages = True  # search caches the synonyms under the page cache's content version

    language = models.CharField(
        max_length=2,
        choices=Language,
        default=Language.ENGLISH,
        help_text="Searches on pages in this language.",
    )
    phrase = models.CharField(
        max_length=100, help_text='What readers type, e.g. "med mal" or "sue". Lower case.'
    )
    expansion = models.CharField(
        max_length=200,
        help_text='Words to search for as well, e.g. "medical malpractice". Separate alternatives with " or ".',
    )

    class Meta:
        ordering = ["language", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["language", "phrase"], name="searchsynonym_language_phrase")
        ]

    def __str__(self):
        return f"{self.phrase} → {self.expansion}"

    def save(self, **kwargs):
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(**kwargs)


class SearchTerm(models.Model):
    """Words from published titles and headings: the vocabulary for "Did you mean …" suggestions.

    Scheduled articles' words are kept too, with the time they go live, so they become suggestions on
    time with no write on GET.
    """

    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    word = models.CharField(max_length=60)
    available_from = models.DateTimeField(help_text="When the first article using this word went live.")

    class Meta:
        indexes = [GinIndex(fields=["word"], name="searchterm_word_trgm", opclasses=["gin_trgm_ops"])]
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="searchterm_language_word")]

    def __str__(self):
        return self.word


class ArchiveState(models.Model):
    """One row: what the advertising archive (articles/archive.py) last captured; locked while capturing,
    so two workers never capture the same change or the same 90-day period twice."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    content_signature = models.CharField(max_length=40, blank=True)
    last_periodic_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(name="archivestate_single_row", condition=Q(id=1))]

    def __str__(self):
        return "advertising archive state"


class ArchiveRun(models.Model):
    """One capture of the whole public site: when, why, and every page it saw (ArchiveRunPage)."""

    class Trigger(models.TextChoices):
        CHANGE = "change", "Content changed or went live"
        COMMAND = "command", "By hand (archive_site)"
        PERIODIC = "periodic", "Periodic (90 days)"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger)
    reason = models.CharField(max_length=200)
    page_count = models.PositiveIntegerField(default=0)
    stored_count = models.PositiveIntegerField(
        default=0, help_text="Pages that differed from their latest copy."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "archive run"

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%Y-%m-%d %H:%M %Z}: {self.reason}"


class ArchiveCapture(models.Model):
    """A dated copy of one public page as visitors saw it: gzip-compressed HTML with its sha256.

    A page identical to the latest copy of its address is not stored again; the run points at that copy.
    """

    run = models.ForeignKey(ArchiveRun, on_delete=models.SET_NULL, null=True, related_name="captures")
    url = models.CharField(max_length=500)
    captured_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    html_gzip = models.BinaryField()
    size = models.PositiveIntegerField(help_text="Bytes of HTML before compression.")
    approved_by = models.CharField(
        "approving attorney",
        max_length=200,
        blank=True,
        help_text="For an article: who approved the text shown.",
    )

    class Meta:
        ordering = ["-captured_at", "url"]
        verbose_name = "archived page"
        indexes = [models.Index(fields=["url", "-captured_at"], name="archive_url_latest")]

    def __str__(self):
        return f"{self.url} at {timezone.localtime(self.captured_at):%Y-%m-%d %H:%M %Z}"

    def html(self) -> bytes:
        return gzip.decompress(bytes(self.html_gzip))


class ArchiveRunPage(models.Model):
    run = models.ForeignKey(ArchiveRun, on_delete=models.CASCADE, related_name="pages")
    capture = models.ForeignKey(ArchiveCapture, on_delete=models.PROTECT, related_name="run_pages")
    url = models.CharField(max_length=500)

    class Meta:
        ordering = ["url"]
        constraints = [models.UniqueConstraint(fields=["run", "url"], name="archive_run_page_once")]

    def __str__(self):
        return self.url

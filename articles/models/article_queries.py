"""Which articles: the one definition of "public" (published()), what awaits approval or review, and what a
listing or an article page loads. The row is the approved text (articles/models/approved_content.py), so
readers' queries need no approval logic."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from articles.models.approved_content import ApprovedContentQuerySet, drafts_of

REVIEW_DUE_AFTER = timedelta(days=365)  # Article.REVIEW_DUE_AFTER

# What an article page reads (for_page). Staff previews build the proposed text from the waiting draft, and an
# approval's details come from the approval record, so neither needs more columns here.
ARTICLE_PAGE_FIELDS = (
    "approved_version", "title", "slug", "summary", "seo_title", "social_image", "body_html", "toc",
    "reading_minutes", "practice_area", "author", "reviewed_by", "last_reviewed_on", "status", "published_at",
    "language", "counterpart", "updated_at", "content_hash",
)  # fmt: skip
# A practice area's name and address in either language (the breadcrumb, cards, JSON-LD).
PRACTICE_AREA_LINK_FIELDS = ("name_en", "name_es", "slug_en", "slug_es")
# An article card: title, summary, address, reading time, public date (Article.public_at) and its practice area.
LISTING_FIELDS = (
    "title", "slug", "summary", "language", "reading_minutes", "published_at", "last_reviewed_on",
    *(f"practice_area__{name}" for name in PRACTICE_AREA_LINK_FIELDS),
)  # fmt: skip
# A byline: name, title and profile address, the portrait and its alt text.
BYLINE_FIELDS = (
    "name", "slug", "job_title_en", "job_title_es", "photo", "photo_alt_en", "photo_alt_es", "photo_renditions",
)  # fmt: skip
# Enough of the other language's version to link to it only when it is public.
COUNTERPART_FIELDS = ("slug", "language", "status", "published_at", "approved_version")


class ArticleQuerySet(ApprovedContentQuerySet):
    def published(self, now=None):
        """The only definition of "public": published, approved by an attorney, and its time has come (`now`,
        unless given: a compiled query passes it as a value, articles/compiled_queries.py).

        The row holds the approved text (an edit waits in a draft, articles/models/approval.py), so what this
        returns is exactly what readers see."""
        return self.filter(
            status=self.model.Status.PUBLISHED,
            published_at__lte=timezone.now() if now is None else now,
            approved_version__isnull=False,
        )

    def scheduled(self):
        """Set to go live at a future time (whether or not approved yet: it goes live only once approved)."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def awaiting_approval(self):
        """A change waits in a draft, or set to publish (now or later) with no attorney approval yet."""
        return self.filter(
            Q(status=self.model.Status.PUBLISHED, approved_version__isnull=True)
            | Q(pk__in=drafts_of(self.model).values("object_id"))
        )

    def review_due(self):
        """Articles whose legal review is over REVIEW_DUE_AFTER old: laws change, and readers see the date."""
        return self.filter(last_reviewed_on__lt=timezone.localdate() - REVIEW_DUE_AFTER)

    def in_language(self, language: str):
        return self.filter(language=language)

    def missing_counterpart(self):
        return self.filter(counterpart__isnull=True)

    def for_listing(self):
        """Just what an article card shows: the large text and search columns stay in the database."""
        return self.select_related("practice_area").only(*LISTING_FIELDS)

    def for_page(self):
        """An article page's needs, and only those: the columns the page, its JSON-LD and the byline show, with
        the practice area, author, reviewer and counterpart (for its address and whether it is public) joined
        in the same query. Staff previews read it; a reader's page reads the same columns with the area and
        the byline as values (articles/page_queries.py, reader_article).

        Named columns, not defer(): the joined people and areas carry every translated field three times
        (modeltranslation keeps the original column beside _en and _es), so the full query read 104 columns,
        and Django spent more time writing that SELECT than PostgreSQL spent running it. Query-count tests
        catch a field the page starts using without being listed here (it would load in a query of its own).
        Keep the join list short too: at nine tables PostgreSQL spent ~2-5 ms planning this query against
        0.2 ms running it (EXPLAIN ANALYZE)."""
        return self.select_related("practice_area", "author", "reviewed_by", "counterpart").only(
            *ARTICLE_PAGE_FIELDS,
            *(f"practice_area__{name}" for name in PRACTICE_AREA_LINK_FIELDS),
            *(f"{person}__{name}" for person in ("author", "reviewed_by") for name in BYLINE_FIELDS),
            *(f"counterpart__{name}" for name in COUNTERPART_FIELDS),
        )

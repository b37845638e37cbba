"""Which articles: the one definition of "public" (published()), what awaits approval or review, and what a
listing or an article page loads. Readers get the attorney-approved text (ApprovedTextIterable)."""

from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of "public": published, approved by an attorney, and its time has come.

        What readers see of it is the approved text (``live_text()``), even if it has been edited since.
        """
        return self.filter(
            status=self.model.Status.PUBLISHED,
            published_at__lte=timezone.now(),
            approved_version__isnull=False,
        )

    def scheduled(self):
        """Set to go live at a future time (whether or not approved yet: it goes live only once approved)."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def awaiting_approval(self):
        """Set to publish (now or later) but the current text has no attorney approval yet."""
        return self.filter(status=self.model.Status.PUBLISHED).filter(
            Q(approved_version__isnull=True) | ~Q(approved_version__content_hash=F("content_hash"))
        )

    def live_text(self):
        """Articles shown to readers as their attorney-approved text (see ArticleApproval)."""
        queryset = self.select_related("approved_version")
        queryset._iterable_class = ApprovedTextIterable  # the documented hook values() itself uses
        return queryset

    def review_due(self):
        """Articles whose legal review is over REVIEW_DUE_AFTER old: laws change, and readers see the date."""
        return self.filter(last_reviewed_on__lt=timezone.localdate() - self.model.REVIEW_DUE_AFTER)

    def in_language(self, language: str):
        return self.filter(language=language)

    def missing_counterpart(self):
        return self.filter(counterpart__isnull=True)

    def for_listing(self):
        """Just what an article card shows, as approved: the large text and search columns stay in the
        database."""
        return self.live_text().select_related("practice_area").only(
            "title", "slug", "summary", "language", "reading_minutes", "published_at", "practice_area__name_en",
            "practice_area__slug_en", "practice_area__name_es", "practice_area__slug_es", "approved_version__title",
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

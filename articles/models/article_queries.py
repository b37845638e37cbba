"""Which articles: the one definition of "public" (published()), what awaits approval or review, and what a
listing or an article page loads. The row is the approved text (articles/models/approved_content.py), so
readers' queries need no approval logic."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from articles.models.approved_content import ApprovedContentQuerySet, drafts_of

REVIEW_DUE_AFTER = timedelta(days=365)  # Article.REVIEW_DUE_AFTER


class ArticleQuerySet(ApprovedContentQuerySet):
    def published(self):
        """The only definition of "public": published, approved by an attorney, and its time has come.

        The row holds the approved text (an edit waits in a draft, articles/models/approval.py), so what this
        returns is exactly what readers see."""
        return self.filter(
            status=self.model.Status.PUBLISHED,
            published_at__lte=timezone.now(),
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
        return self.select_related("practice_area").only(
            "title", "slug", "summary", "language", "reading_minutes", "published_at", "last_reviewed_on",
            "practice_area__name_en", "practice_area__slug_en", "practice_area__name_es", "practice_area__slug_es",
        )  # fmt: skip

    def for_page(self):
        """An article page's needs: everything but the Markdown source and the search columns, with the
        counterpart (for its address and whether it is public) joined in the same query.

        Keep the join list short: at nine tables PostgreSQL spent ~2-5 ms planning this query against 0.2 ms
        running it (EXPLAIN ANALYZE)."""
        return self.select_related("practice_area", "author", "reviewed_by", "counterpart").defer(
            "body", "body_text", "search_vector", "counterpart__body", "counterpart__body_html",
            "counterpart__body_text", "counterpart__search_vector", "counterpart__toc",
        )  # fmt: skip

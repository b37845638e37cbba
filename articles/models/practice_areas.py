"""Practice areas: the firm's fields of law, with their pages; the consultation form offers them too."""

from django.db import models
from simple_history.models import HistoricalRecords

from articles.addresses import address
from articles.i18n import current_language, translated
from articles.models.approved_content import ApprovedContent, ApprovedContentQuerySet


class PracticeArea(ApprovedContent):
    """A field of law. Its texts reach readers only once approved (articles/models/approved_content.py): an edit
    of an approved area waits in its draft; lists, pages and the consultation form show approved areas."""

    changes_public_pages = True  # an edit clears the page cache (articles/page_cache.py)
    APPROVED_FIELDS = (
        "name_en", "name_es", "slug_en", "slug_es", "summary_en", "summary_es", "description_en",
        "description_es",
    )  # fmt: skip
    DERIVED_FIELDS = ("updated_at",)  # moves when approved values reach the row (the sitemap's lastmod)

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=300,
        help_text="One or two plain sentences; shown on cards and used as the meta description.",
    )
    description = models.TextField(blank=True, help_text="A few short paragraphs for the practice-area page.")
    # name, slug, summary and description are translated (articles/translation.py): each has a column per
    # language (name_en, name_es, …) and reads in the active language, an empty Spanish one falling back to
    # the English. The Spanish page is /es/areas-de-practica/<slug_es>/.
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApprovedContentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["approved_version"])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The address in the active language (the English one outside a Spanish page)."""
        return self.url_in(current_language())

    def url_in(self, language: str) -> str:
        slug = translated(self.slug_en, self.slug_es, language)  # slug_es, or slug_en when it has none
        return address("articles:practice_area", language, slug)

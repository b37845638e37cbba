"""Practice areas: the firm's fields of law, with their pages; the consultation form offers them too."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from articles.addresses import address
from articles.i18n import Language, current_language


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
        slug = (self.slug_es or self.slug) if language == Language.SPANISH else self.slug
        return address("articles:practice_area", language, slug)

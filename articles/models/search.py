"""Site search's tables (articles/search.py): readers' synonyms and the "Did you mean" vocabulary."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models

from articles.i18n import Language


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

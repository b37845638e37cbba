"""The site's two languages: English at the original addresses, Spanish under /es/.

The language of a request comes from its path alone (lawsite.middleware.LanguageFromPathMiddleware), never
from Accept-Language or a cookie: the page cache keys pages by path, so a path must always give the same
page. Code that builds an address or text for a given language (an article's URL, an email) activates it
with ``translation.override(code)``.
"""

from django.db import models
from django.utils import translation


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


SPANISH_PREFIX = "/es/"


def language_of_path(path: str) -> str:
    """ "es" for /es and everything under /es/, otherwise "en"."""
    spanish = path == "/es" or path.startswith(SPANISH_PREFIX)
    return (Language.SPANISH if spanish else Language.ENGLISH).value  # a plain str: it goes into a header


def current_language(code: str | None = None) -> str:
    """The active language as one of Language's values ("en" or "es"); `code`: a Django language code read
    already (a render reads the active one once: lawsite/page_state.py)."""
    spanish = ((translation.get_language() if code is None else code) or "").startswith("es")
    return (Language.SPANISH if spanish else Language.ENGLISH).value


def translated(english: str, spanish: str | None, language: str) -> str:
    """A translated field's value in `language` as modeltranslation reads it (MODELTRANSLATION_FALLBACK_LANGUAGES
    is English): the Spanish column on a Spanish page, the English one when the Spanish is empty. For values
    read from the database as they are (articles/cards.py), and the other places that pick a column by hand."""
    return (spanish or english) if language == Language.SPANISH else english


def other_language(language: str) -> str:
    return (Language.ENGLISH if language == Language.SPANISH else Language.SPANISH).value


def home_url(language: str) -> str:
    return SPANISH_PREFIX if language == Language.SPANISH else "/"


def search_config(language: str) -> str:
    """PostgreSQL text search configuration (stemming, stop words, accents folded): see migrations 0003, 0014."""
    return "lawsite_spanish" if language == Language.SPANISH else "lawsite_english"


def stemmer_config(language: str) -> str:
    """The built-in configuration whose stop words the "Did you mean" suggestions skip."""
    return "spanish" if language == Language.SPANISH else "english"

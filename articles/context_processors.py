from functools import cache, lru_cache

from django.conf import settings
from django.urls import get_script_prefix, translate_url
from django.utils.functional import SimpleLazyObject

from articles import compliance, firm_facts
from articles.i18n import Language, current_language, home_url, other_language


@cache
def site_context(language: str = Language.ENGLISH) -> dict:
    """The firm's identity (settings.FIRM) and compliance wording in this language, for every template and
    email.

    Built once per process and language from settings: no database query per request."""
    wording = compliance.wording(language)
    facts = firm_facts.facts(language)
    firm = {
        **settings.FIRM,
        "hours": facts["hours"],
        "phone_href": "tel:+1" + "".join(c for c in settings.FIRM["phone"] if c.isdigit())[-10:],
    }
    return {
        "firm": firm,
        "legal_service": {
            "@context": "https://schema.org",
            "@type": "LegalService",
            "name": firm["name"],
            "url": settings.SITE_URL + "/",
            "telephone": "+1-" + firm["phone"],
            "email": firm["email"],
            "address": {"@type": "PostalAddress", "streetAddress": firm["address"], "addressCountry": "US"},
            "hasMap": firm["map_url"],
            "areaServed": "New York",
            "knowsAbout": ["Personal injury", "Medical malpractice"],
        },
        "compliance": {"show": settings.COMPLIANCE, **wording},
        # Sentences about the firm from settings, in this language: "expenses", "spanish_call".
        "firm_facts": facts,
        "site_url": settings.SITE_URL,
        "lang": language,
        "other_lang": other_language(language),
    }


def forget_site_context(*, setting: str, **kwargs) -> None:
    """settings.FIRM or COMPLIANCE changed (a test's override): build the context again on next use; the routes
    changed: translate paths again."""
    if setting in {"FIRM", "COMPLIANCE", "SITE_URL"}:
        site_context.cache_clear()
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _translated_paths.cache_clear()


def default_alternates(path: str, language: str) -> dict[str, str]:
    """The same page in each language, for the language switch and hreflang links: the path with its
    route translated (/about/ <-> /es/nosotros/). Pages whose other-language version is a different
    object (articles, practice areas) pass their own "alternates"; a path that cannot be translated
    (a 404) points at the other language's home page."""
    return dict(_translated_paths(path, language, get_script_prefix()))  # a copy: callers may add to it


# A path's translation depends only on the routes (resolving and reversing cost ~0.1 ms a page): remembered
# per process for the most recent paths, like the addresses in articles/addresses.py. Content never enters it.
@lru_cache(maxsize=512)
def _translated_paths(path: str, language: str, script_prefix: str) -> dict[str, str]:
    other = other_language(language)
    translated = translate_url(path, other)
    urls = {language: path, other: translated if translated != path else home_url(other)}
    urls["x-default"] = urls[Language.ENGLISH]
    return urls


def firm(request):
    """Context processor (settings.TEMPLATES): the firm, compliance text and language links on every page."""
    language = current_language()
    return {
        **site_context(language),
        "canonical_url": settings.SITE_URL + request.path,
        # Worked out only for a page that does not pass its own (articles, practice areas, search): translating a
        # path resolves and reverses it, a tenth of a millisecond an article page had no use for.
        "alternates": SimpleLazyObject(lambda: default_alternates(request.path, language)),
    }

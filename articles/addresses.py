"""The addresses of pages named by a slug, reversed once per process.

An article card, a byline or a breadcrumb asks for an address; reverse() (inside a switch to the page's
language) cost more than the rest of a card, and an article list asks for dozens. An address depends only on
the URL name, the language, the slug and the script prefix, so it is remembered per process; a changed
URLconf (tests) empties the memory.
"""

import functools

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse
from django.utils import translation


@functools.lru_cache(maxsize=8192)
def _address(name: str, language: str, slug: str, prefix: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": slug})


def address(name: str, language: str | None, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}) with `language` active (None: the active one)."""
    return _address(name, language or translation.get_language(), slug, get_script_prefix())


@functools.lru_cache(maxsize=256)
def _page_address(name: str, language: str, prefix: str) -> str:
    with translation.override(language):
        return reverse(name)


def page_address(name: str, language: str | None = None) -> str:
    """reverse(name) with `language` active (None: the active one): a page without a slug (the article list
    in an article's breadcrumb, ~8 us a reverse)."""
    return _page_address(name, language or translation.get_language(), get_script_prefix())


def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _address.cache_clear()
        _page_address.cache_clear()


setting_changed.connect(_forget, dispatch_uid="articles-addresses")

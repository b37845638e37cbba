import functools
import json
from datetime import date, datetime

from django import template
from django.conf import settings
from django.template import loader
from django.template.defaultfilters import date as format_date
from django.urls import get_script_prefix
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.addresses import page_address
from articles.context_processors import site_context
from articles.i18n import current_language
from lawsite import page_state

register = template.Library()

# Dates as readers write them: "December 2, 2026" on English pages, "2 de diciembre de 2026" on Spanish ones
# (month names come from Django's Spanish catalogue).
DATE_FORMATS = {"es": r"j \d\e F \d\e Y"}
DATETIME_FORMATS = {"es": r"j \d\e F \d\e Y, H:i"}


def _language() -> str:
    return "es" if (page_state.language() or "").startswith("es") else "en"


@functools.lru_cache(maxsize=64)
def _month_name(language: str | None, month: int) -> str:
    """The month's name in that language (Django's catalogue), looked up once per process."""
    return str(MONTHS[month])


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value):
    """A date in the page's language (New York time for datetimes).

    Dates and datetimes are written directly (the same words as Django's date filter with DATE_FORMATS, whose
    format lookup cost more than an article card's other fields: every card shows a date)."""
    if isinstance(value, date):
        # The language looked up once: each lookup reads a context-local (an answer shows ~20 dates).
        language = _language()
        month = _month_name(language, value.month)
        if language == "es":
            return f"{value.day} de {month} de {value.year:04d}"
        return f"{month} {value.day}, {value.year:04d}"
    return format_date(value, DATE_FORMATS.get(_language(), "F j, Y"))


@register.filter(expects_localtime=True, is_safe=False)
def iso_time(value):
    """{{ when|iso_time }}: a datetime for <time datetime> and meta tags, in New York time; the same text as
    Django's {{ when|date:"c" }} (isoformat), without its format lookup."""
    if isinstance(value, date):
        return value.isoformat()
    return format_date(value, "c")


@register.filter(expects_localtime=True, is_safe=False)
def local_datetime(value):
    return format_date(value, DATETIME_FORMATS.get(_language(), "F j, Y, g:i a"))


@register.filter
def startswith(value, prefix) -> bool:
    """{% if request.path|startswith:list_url %}: is this page under that section?"""
    return bool(prefix) and str(value).startswith(str(prefix))


# The characters json_script escapes, so data can never close the <script> element.
_JSON_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


def _json_escaped(payload: str) -> str:
    # str.replace per character, not str.translate: translate looks up every character of the text in the
    # table (26 µs for an article's JSON-LD, against 1 µs; measured December 2026).
    for character, escaped in _JSON_ESCAPES:
        if character in payload:
            payload = payload.replace(character, escaped)
    return payload


@register.simple_tag
def jsonld(data):
    """Render a dict as a JSON-LD block: built with json.dumps, never by string concatenation.

    A data block is never executed, so CSP does not apply to it and it needs no nonce; leaving the
    nonce out keeps the page body identical between requests (ETags, page cache).
    """
    payload = _json_escaped(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    # Safe: json.dumps output with <, > and & escaped cannot end the element or open a new one.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


# Parts of every page rendered once per process (site_wide, site_urls); emptied when a setting changes
# (lawsite.apps connects forget_site_wide to setting_changed: tests override the firm's details).
_site_wide: dict[tuple, str] = {}
_site_urls: dict[tuple, dict] = {}
SITE_URL_NAMES = (
    "home",
    "about",
    "articles:list",
    "articles:practice_areas",
    "articles:time_limits",
    "articles:search",
    "articles:people",
    "consultations:create",
    "disclaimer",
    "privacy",
)


def forget_site_wide(**kwargs) -> None:
    _site_wide.clear()
    _site_urls.clear()


@register.simple_tag
def site_wide(template_name: str, **page) -> str:
    """site_wide("includes/footer.html") in a Jinja2 page (lawsite/jinja2.py), {% site_wide %} in a Django
    template: a part of every page that depends only on the page's language, the settings and the year (the
    footer, the call bar, the header's bar, a page's closing call to action), rendered once per process,
    language and year rather than on every request. Its template sees the site-wide context (the firm, the
    compliance wording; articles/context_processors.py) and nothing of the page but `page`: a few plain
    values the part depends on, part of the key (the main menu's current link, the call to action's title: a
    handful of cases). Content edits cannot change it, so the first view after an edit is no slower for it.
    Under DEBUG it is rendered every time (template edits show)."""
    language = current_language(page_state.language())
    # The year in the site's time zone, read once per render (page_state): timezone.localdate() looked the
    # zone up in a context-local each time, half of this function's cost.
    year = datetime.now(page_state.time_zone()).year
    key = (template_name, language, year, get_script_prefix(), *page.items())
    html = _site_wide.get(key)
    if html is None:
        html = mark_safe(loader.render_to_string(template_name, {**site_context(language), **page}))  # noqa: S308
        if not settings.DEBUG:
            _site_wide[key] = html
    return html


@register.simple_tag
def site_urls() -> dict:
    """{% set urls = site_urls() %}{{ urls.home }} in a Jinja2 page ({% site_urls as urls %} in a Django one):
    the addresses in every page's header and footer, in the page's language, reversed once per process and
    language (a reverse costs more than the rest of a link): page_address's reverses, gathered once per
    language so a page looks them up as one dictionary."""
    language = current_language(page_state.language())
    key = (language, get_script_prefix())
    urls = _site_urls.get(key)
    if urls is None:
        urls = _site_urls[key] = {
            name.replace(":", "_"): page_address(name, language) for name in SITE_URL_NAMES
        }
    return urls

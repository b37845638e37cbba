import json

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Dates as readers write them: "December 2, 2026" on English pages, "2 de diciembre de 2026" on Spanish ones
# (month names come from Django's Spanish catalogue).
DATE_FORMATS = {"es": r"j \d\e F \d\e Y"}
DATETIME_FORMATS = {"es": r"j \d\e F \d\e Y, H:i"}


def _language() -> str:
    from django.utils import translation

    return "es" if (translation.get_language() or "").startswith("es") else "en"


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value):
    """A date in the page's language (New York time for datetimes)."""
    return format_date(value, DATE_FORMATS.get(_language(), "F j, Y"))


@register.filter(expects_localtime=True, is_safe=False)
def local_datetime(value):
    return format_date(value, DATETIME_FORMATS.get(_language(), "F j, Y, g:i a"))


@register.filter
def startswith(value, prefix) -> bool:
    """{% if request.path|startswith:list_url %}: is this page under that section?"""
    return bool(prefix) and str(value).startswith(str(prefix))


# The characters json_script escapes, so data can never close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data):
    """Render a dict as a JSON-LD block: built with json.dumps, never by string concatenation.

    A data block is never executed, so CSP does not apply to it and it needs no nonce; leaving the
    nonce out keeps the page body identical between requests (ETags, page cache).
    """
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).translate(_JSON_ESCAPES)
    # Safe: json.dumps output with <, > and & escaped cannot end the element or open a new one.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

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

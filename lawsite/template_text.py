"""What the public pages print, written as Django would: escaping and translated text.

Shared by the Jinja2 environment (lawsite/jinja2.py, whose `finalize` and gettext callables these are) and by
the few parts of a page written in Python (lawsite/time_limit_items.py), so both print the same bytes.

- Escaping. Jinja2 escapes with MarkupSafe (' as &#39;, " as &#34;), Django with html.escape (&#x27;, &quot;).
  `escape` writes a value Django's way; gettext does the same to the values it places in a translation.
- Translations read Django's catalogue (locale/es), with the same msgids as `{% blocktranslate %}` and
  `{% translate %}`: "%(name)s" for a variable, "%%" for a percent sign.
"""

import html

from django.conf import settings
from django.utils import translation
from markupsafe import Markup

from lawsite import page_state


def escape(value) -> str:
    """A printed value as Django's autoescaping writes it (html.escape: &#x27; and &quot; for quotes), a safe
    value (Markup: our translations, rendered parts) as it is. The compiled templates print its result as is."""
    if type(value) is not str:
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
        return html.escape(value)
    return value  # most text: nothing to escape (five searches cost a fifth of html.escape's five replaces)


# What never changes while a process runs, looked up once (per language where it matters): static files
# (the manifest is read once), the firm's JSON-LD, the text without values (reverses without arguments are
# remembered by articles/addresses.py's page_address, which views use too).
# Emptied with the site-wide parts when a setting changes (lawsite/apps.py), and never kept under DEBUG.
_once: dict[tuple, str] = {}


def remember(key: tuple, make):
    value = _once.get(key)
    if value is None:
        value = make()
        if not settings.DEBUG:
            _once[key] = value
    return value


def forget_once(**kwargs) -> None:
    _once.clear()


def _placed(text: str, variables: dict) -> Markup:
    """`text % variables` with each value escaped as Django's autoescaping writes it (`escape` above: safe
    values as they are, a date or a number checked and left as it is), in one str formatting: Markup's own %
    wraps each value in a helper object, several times slower in a loop of translated sentences."""
    values = {name: escape(value) for name, value in variables.items()}
    return Markup(text % values)  # noqa: S704  (escaped just above; the text is our own catalogue's)


# Newstyle gettext (the i18n extension calls these for {% trans %}; `_` calls gettext): the translation is
# safe, as a template's own text is (Django marks {% translate "literal" %} safe too: our own catalogue),
# and every value placed in it is escaped. Always %-formatted, as Django's {% blocktranslate %} is, so "%%"
# in a msgid prints "%". (S704: the msgstr comes from locale/, never from a visitor.)
def gettext(message: str, /, **variables) -> Markup:
    language = page_state.language()
    if variables:  # the catalogue's text looked up once, the values placed in it each time
        text = remember(("gettext-raw", language, message), lambda: translation.gettext(message))
        return _placed(text, variables)
    # Most of a page's text: no values, the same words on every page of a language; looked up once.
    return remember(("gettext", language, message), lambda: _text(message))


def _text(message: str) -> Markup:
    text = Markup(translation.gettext(message))  # noqa: S704
    return text % {} if "%" in text else text


def ngettext(singular: str, plural: str, number: int, /, **variables) -> Markup:
    variables.setdefault("num", number)
    # The catalogue's form for this number, looked up once per language and number (a card's reading time,
    # an answer's days left: a few hundred numbers at most).
    key = ("ngettext", page_state.language(), singular, plural, number)
    return _placed(remember(key, lambda: translation.ngettext(singular, plural, number)), variables)


def pgettext(context: str, message: str, /, **variables) -> Markup:
    return _placed(translation.pgettext(context, message), variables)


def npgettext(context: str, singular: str, plural: str, number: int, /, **variables) -> Markup:
    variables.setdefault("num", number)
    return _placed(translation.npgettext(context, singular, plural, number), variables)

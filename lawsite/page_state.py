"""The language and time zone of the page being rendered, looked up once per render.

Django keeps the active language and time zone in asgiref context-locals: each `translation.get_language()` or
`timezone.get_current_timezone()` costs about a microsecond, and a public page asked ~150 times (every text
without values, every date, every fixed link: ~4% of an uncached article page, measured with py-spy under
`make bench` load). The Jinja2 backend (lawsite/jinja2.py) reads both once when a render starts and its
template functions and filters read them from here. Outside a render (Django templates: the admin, the emails)
these fall back to Django's own lookups, so they always answer what Django would.

Nothing in a page's render changes the language: code that renders in another language (an email, an address
in the other language) does it in `translation.override()` around its own render or reverse, which reads
Django's state, not this.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone, translation

_page: ContextVar[tuple | None] = ContextVar("lawsite_page_being_rendered", default=None)


def language() -> str:
    page = _page.get()
    return page[0] if page is not None else translation.get_language()


def time_zone():
    page = _page.get()
    return page[1] if page is not None else timezone.get_current_timezone()


@contextmanager
def rendering():
    """Around one template render (nested renders, such as a site-wide part, read the same values)."""
    token = _page.set((translation.get_language(), timezone.get_current_timezone()))
    try:
        yield
    finally:
        _page.reset(token)

"""Rendering the public site for the advertising archive (archive/capture.py stores it): every page a visitor can
see, in every language, as an anonymous visitor over HTTPS gets it, made self-contained (the stylesheet, images
and uploaded photos inlined, so it reads offline) and normalised (CSP nonces, CSRF and form-timer tokens blanked)
so that an unchanged page hashes the same."""

import base64
import hashlib
import logging
import mimetypes
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.http.request import validate_host
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from articles.models import Article
from articles.sitemaps import SITEMAPS

logger = logging.getLogger(__name__)

# Pages that are in no sitemap but that visitors see (named URLs; one that does not exist is skipped).
EXTRA_URL_NAMES = ("consultations:create", "consultations:thanks")

# What differs on every request although the page is the same.
VOLATILE = [
    (re.compile(r'\snonce="[^"]*"'), ""),
    (re.compile(r'(name="csrfmiddlewaretoken"\s+value=")[^"]*(")'), r"\1\2"),
    (re.compile(r'(value=")[^"]*("\s+name="csrfmiddlewaretoken")'), r"\1\2"),
    (re.compile(r'(name="started"[^>]*?\svalue=")[^"]*(")'), r"\1\2"),
    (re.compile(r'(\svalue=")[^"]*("[^>]*?name="started")'), r"\1\2"),
]
STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"[^>]*>')
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
IMAGE_SRC = re.compile(r'(\ssrc=")([^"]+)(")')
RESPONSIVE_ATTRIBUTES = re.compile(r'\s(?:srcset|sizes)="[^"]*"')
# <picture>'s alternative sources (a person's photo in WebP): the inlined <img> stands in for them.
PICTURE_SOURCE = re.compile(r'\s*<source\b[^>]*\ssrcset="[^"]*"[^>]*>')


@dataclass
class RenderedPage:
    url: str
    html: str
    sha256: str
    approved_by: str


@dataclass
class Rendering:
    """Every page that answered 200, and the ones that did not (address, what they answered)."""

    pages: list[RenderedPage] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def sitemap_paths() -> list[str]:
    """Every address the sitemaps list, in every language (path and query, without scheme and host):
    taken from the sitemaps themselves, so a page added to a sitemap is archived with no change here."""
    paths: list[str] = []
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        for number in sitemap.paginator.page_range:
            for entry in sitemap.get_urls(page=number):
                parts = urlsplit(entry["location"])
                paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def public_urls() -> list[str]:
    """Every public page: everything in the sitemaps of every language (home, about, disclaimer, privacy,
    article list, practice areas, people, each published article), every further page of each
    language's article list, and the form and its thanks page in each language."""
    from articles.views import LISTING_PAGE_SIZE

    urls = sitemap_paths()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            published = Article.objects.published().in_language(language).count()
            list_url = reverse("articles:list")
            urls += [
                f"{list_url}?page={number}" for number in range(2, -(-published // LISTING_PAGE_SIZE) + 1)
            ]
            for name in EXTRA_URL_NAMES:
                try:
                    urls.append(reverse(name))
                except NoReverseMatch:
                    continue
    return list(dict.fromkeys(urls))


def _site_host() -> str:
    """The Host header the archive's requests use: SITE_URL's, if the site answers to it."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.netloc
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
    return host


def _asset(url: str) -> bytes | None:
    """The bytes of a static file or an uploaded file (a person's photo, an article's image) the page
    links to, or None (left as a link) for anything else. An address that tries to leave its folder
    (`/static/../../etc/passwd`, which Django's storage would refuse with SuspiciousFileOperation) is
    skipped with a warning: one bad image in one article must not stop the whole capture."""
    parts = urlsplit(unescape(url))
    if parts.netloc and parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    path = unquote(parts.path)
    for prefix, read in ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file)):
        if not prefix or not path.startswith(prefix):
            continue
        name = path[len(prefix) :]
        try:
            if ".." in name.replace("\\", "/").split("/"):
                raise SuspiciousOperation("the address leaves its folder")
            return read(name)
        except SuspiciousOperation as error:
            logger.warning("archive: %s not inlined: %s", url, error)
        except OSError:
            logger.warning("archive: %s not inlined: no such file", url)
        return None
    return None


def _static_file(name: str) -> bytes | None:
    try:
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    except (OSError, ValueError):
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                return handle.read()
    return None


def _media_file(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def self_contained(html: str) -> str:
    """Inline the stylesheet and images (static files and uploads), so the copy looks the same offline
    and years later. An inlined <img> drops its srcset, and a <picture>'s other sources go, so a browser
    shows the inlined image rather than look for files that are not in the copy."""

    def stylesheet(match):
        data = _asset(match.group(1))
        if data is None:
            return match.group(0)
        return "<style>\n" + data.decode("utf-8", errors="replace") + "\n</style>"

    def image(tag_match):
        tag = tag_match.group(0)
        source = IMAGE_SRC.search(tag)
        if source is None or source.group(2).startswith("data:"):
            return tag
        data = _asset(source.group(2))
        if data is None:
            return tag
        kind = mimetypes.guess_type(urlsplit(unescape(source.group(2))).path)[0] or "application/octet-stream"
        inlined = f"{source.group(1)}data:{kind};base64,{base64.b64encode(data).decode()}{source.group(3)}"
        return RESPONSIVE_ATTRIBUTES.sub("", tag[: source.start()] + inlined + tag[source.end() :])

    html = IMAGE_TAG.sub(image, STYLESHEET.sub(stylesheet, html))
    return PICTURE_SOURCE.sub("", html)


def normalise(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def render_pages() -> Rendering:
    """Render every public page as an anonymous visitor over HTTPS gets it, in this process.

    Every request is a secure one (``secure=True``): behind the TLS proxy (``SECURE_SSL_REDIRECT``) a
    plain-HTTP request is answered with a redirect, not the page. A page that answers anything but 200
    (a redirect, a 404, an error) is a failure of the whole run, never silently left out."""
    client = Client(HTTP_HOST=_site_host(), raise_request_exception=False)
    approvers = {
        article.get_absolute_url(): article.approved_version.approver_name
        for article in Article.objects.published()
        .select_related("approved_version")
        .only("slug", "language", "approved_version__approver_name")
    }
    result = Rendering()
    for url in public_urls():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            answer = str(response.status_code)
            if location := response.get("Location"):
                answer += f" to {location}"
            result.failures.append((url, answer))
            continue
        html = normalise(self_contained(response.content.decode(response.charset or "utf-8")))
        digest = hashlib.sha256(html.encode()).hexdigest()
        result.pages.append(RenderedPage(url, html, digest, approvers.get(url.split("?")[0], "")))
    return result

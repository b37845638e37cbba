"""Markdown -> safe HTML, a table of contents and a reading time. Pure: no database, no settings.

Articles are rendered once, when saved (Article.save), and the admin's live preview calls the same
function, so the preview shows exactly what will be published. Raw HTML in the Markdown is not passed
through (it is shown as text), and the result is sanitised with nh3 against an explicit allow-list
as a second line of defence.
"""

import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

WORDS_PER_MINUTE = 200
HEADING_ID_PREFIX = "section-"  # keeps author headings from reusing page ids such as "main"

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},  # rel: only "noopener", see tag_attribute_values
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# A North American phone number written the usual ways: 212-766-5222, (212) 766-5222, 212.766.5222,
# 1-800-555-0100, +1 212 766 5222. Not part of a longer number (dates, case or statute numbers).
PHONE_NUMBER = re.compile(r"(?<![\w+-])(?:\+?1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
# Text in these elements is left as it is: a link inside a link is invalid, code is quoted literally,
# and headings feed the table of contents.
NO_PHONE_LINKS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
TABLE_TAGS = {"table"}


def phone_href(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return "tel:+1" + digits[-10:]


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str = ""  # the visible prose, for search snippets: table cells are left out (see _prose_text)
    table_text: str = ""  # the words in tables: searchable, but never glued into a snippet
    toc: list[dict] = field(default_factory=list)  # [{"id", "title", "level", "children": [...]}]
    reading_minutes: int = 1


class _ExternalLinks(Treeprocessor):
    """rel="noopener" on links that leave the site; images without alt text get an empty alt.

    Also turns a "# heading" into <h2>: the page title is the page's only <h1>.
    """

    def run(self, root):
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "a" and urlsplit(element.get("href", "")).scheme in {"http", "https"}:
                element.set("rel", "noopener")
            elif element.tag == "img" and element.get("alt") is None:
                element.set("alt", "")


class _PhoneLinks(Treeprocessor):
    """Phone numbers in the text become tel: links, so a reader on a phone can call with one tap.

    The Markdown stays plain ("Call 212-766-5222"): links are added when the article is rendered.
    """

    def run(self, root):
        self._walk(root)

    def _walk(self, element):
        if element.tag in NO_PHONE_LINKS:
            return
        for child in list(element):
            self._walk(child)
            self._link_tail(element, child)
        self._link_text(element)

    @staticmethod
    def _links(text: str) -> list:
        """[text, (number, following text), ...] or [] when there is no phone number in text."""
        parts, last = [], 0
        for match in PHONE_NUMBER.finditer(text):
            parts.append((text[last : match.start()], match.group()))
            last = match.end()
        return [*parts, text[last:]] if parts else []

    @staticmethod
    def _anchor(number: str):
        anchor = etree.Element("a", {"href": phone_href(number)})
        anchor.text = AtomicString(number)
        return anchor

    def _link_text(self, element):
        pieces = self._links(element.text or "")
        if not pieces:
            return
        *pairs, rest = pieces
        element.text = pairs[0][0]
        anchors = []
        for index, (_, number) in enumerate(pairs):
            anchor = self._anchor(number)
            anchor.tail = pairs[index + 1][0] if index + 1 < len(pairs) else rest
            anchors.append(anchor)
        for position, anchor in enumerate(anchors):
            element.insert(position, anchor)

    def _link_tail(self, parent, child):
        pieces = self._links(child.tail or "")
        if not pieces:
            return
        *pairs, rest = pieces
        child.tail = pairs[0][0]
        position = list(parent).index(child) + 1
        for index, (_, number) in enumerate(pairs):
            anchor = self._anchor(number)
            anchor.tail = pairs[index + 1][0] if index + 1 < len(pairs) else rest
            parent.insert(position + index, anchor)


class _SafeMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Raw HTML blocks and inline tags are escaped as text instead of passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ExternalLinks(md), "external_links", 1)
        # After the inline patterns (priority 20), so links written in the Markdown are already <a>.
        md.treeprocessors.register(_PhoneLinks(md), "phone_links", 2)


def _heading_id(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + (slugify(value) or "part")


def _toc(tokens: list[dict]) -> list[dict]:
    """Sections (h2, or "#" headings shown as h2) with their subsections (h3)."""
    entries = []
    for token in tokens:
        if token["level"] == 1:  # rendered as h2: a sibling of the ## headings under it
            entries.append({"id": token["id"], "title": token["name"], "level": 2, "children": []})
            entries.extend(_toc(token["children"]))
        elif token["level"] == 2:
            entries.append(
                {"id": token["id"], "title": token["name"], "level": 2, "children": _toc(token["children"])}
            )
        elif token["level"] == 3:
            entries.append({"id": token["id"], "title": token["name"], "level": 3, "children": []})
    return entries


def _no_parent_segments(tag: str, attribute: str, value: str) -> str | None:
    """Drop a link or image address with a `..` segment (also written %2e%2e): no page of ours needs one,
    and `/static/../../etc/passwd` must never reach code that maps addresses to files (the archive inlines
    /static/ images)."""
    if attribute in {"href", "src"}:
        path = unquote(urlsplit(value.strip()).path).replace("\\", "/")
        if ".." in path.split("/"):
            return None
    return value


def render_markdown(text: str) -> Rendered:
    text = (text or "").replace("\x00", "")
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "toc",
            _SafeMarkdown(),
        ],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "1-3"}},
        output_format="html",
    )
    raw_html = md.convert(text)
    html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values={"a": {"rel": {"noopener"}}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_no_parent_segments,
    )
    text = _plain(html)
    prose, tables = _prose_and_tables(html)
    words = len(re.findall(r"\w+", text))
    return Rendered(
        html=html,
        text=prose,
        table_text=tables,
        toc=_toc(getattr(md, "toc_tokens", [])),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


INLINE_TAG = re.compile(r"</?(?:a|strong|em|b|i|code|del|sup|sub)\b[^>]*>")


def _plain(html: str) -> str:
    """Visible text: inline tags vanish (so "<a>5222</a>," stays "5222,"), block tags become spaces."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", INLINE_TAG.sub("", html))).split())


TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def _prose_and_tables(html: str) -> tuple[str, str]:
    """The text outside tables, and the text of the cells. Search snippets are cut from the prose only:
    cells read one after another run together into nonsense ("…if later) Missed cancer diagnosis 2
    years…"). The HTML is nh3's output, so tables never nest and every <table> is closed."""
    tables = " ".join(_plain(table) for table in TABLE.findall(html))
    return _plain(TABLE.sub(" ", html)), " ".join(tables.split())


def markdownify(text: str) -> str:
    """The admin's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION): exactly what the site will publish."""
    return render_markdown(text).html

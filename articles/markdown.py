"""Markdown -> safe HTML, a table of contents and a reading time. Pure: no database, no settings.

Articles are rendered once, when saved (Article.save), and the admin's live preview calls the same
function, so the preview shows exactly what will be published. Raw HTML in the Markdown is not passed
through (it is shown as text), and the result is sanitised with nh3 against an explicit allow-list
as a second line of defence.
"""

import math
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str = ""  # the visible text, for search snippets
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


class _SafeMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Raw HTML blocks and inline tags are escaped as text instead of passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ExternalLinks(md), "external_links", 1)


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
    )
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    words = len(re.findall(r"\w+", text))
    return Rendered(
        html=html,
        text=text,
        toc=_toc(getattr(md, "toc_tokens", [])),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


def markdownify(text: str) -> str:
    """The admin's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION): exactly what the site will publish."""
    return render_markdown(text).html

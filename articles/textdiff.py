"""A readable difference between two versions of a text as readers get it (rendered HTML, not Markdown).

Used by the approval screen (articles/approval_views.py): the attorney sees the words added and removed,
paragraph by paragraph, without having to read Markdown or HTML.
"""

import difflib
import re
from html import escape
from html.parser import HTMLParser

# Elements that start a new block of text on the page.
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "div",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
WORD = re.compile(r"\S+")
BREAK = "\n"  # a block boundary inside the token stream


class _Blocks(HTMLParser):
    """Text of the HTML as blocks: each is (kind, text), kind "heading" or "text"; images become "[image: alt]"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[list] = [["text", ""]]

    def _new(self, kind="text"):
        if self.blocks[-1][1].strip():
            self.blocks.append([kind, ""])
        else:
            self.blocks[-1][0] = kind

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._new("heading" if tag in HEADINGS else "text")
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.blocks[-1][1] += f" [image: {alt}] " if alt else " [image] "

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._new()

    def handle_data(self, data):
        self.blocks[-1][1] += data


def blocks_of(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    return [(kind, " ".join(text.split())) for kind, text in parser.blocks if text.strip()]


def _tokens(blocks: list[tuple[str, str]]) -> list[str]:
    tokens: list[str] = []
    for kind, text in blocks:
        if tokens:
            tokens.append(BREAK)
        if kind == "heading":
            tokens.append(BREAK + "h")  # marks the block that follows as a heading
        tokens.extend(WORD.findall(text))
    return tokens


def word_diff(old_html: str, new_html: str) -> str:
    """HTML of the new text with removed words in <del> and added words in <ins>, block by block.

    Both inputs are rendered, sanitised HTML; the output is built from their text only (escaped), so it
    carries no markup from either beyond our own paragraphs, <ins> and <del>.
    """
    return word_diff_tokens(_tokens(blocks_of(old_html)), _tokens(blocks_of(new_html)))


def text_diff(old: str, new: str) -> str:
    """The same for a plain one-line value (a title, a name): escaped words in <ins>/<del>."""
    return word_diff_tokens(WORD.findall(old or ""), WORD.findall(new or ""), blocks=False)


def word_diff_tokens(old: list[str], new: list[str], *, blocks: bool = True) -> str:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[str] = []

    def emit(tokens: list[str], wrapper: str | None) -> None:
        words: list[str] = []

        def flush():
            if words:
                text = escape(" ".join(words))
                out.append(f"<{wrapper}>{text}</{wrapper}>" if wrapper else text)
                words.clear()

        for token in tokens:
            if token.startswith(BREAK):
                flush()
                out.append(token)
            else:
                words.append(token)
        flush()

    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            emit(new[b1:b2], None)
        else:
            if operation in {"delete", "replace"}:
                emit(old[a1:a2], "del")
            if operation in {"insert", "replace"}:
                emit(new[b1:b2], "ins")
    if not blocks:
        return " ".join(part for part in out if not part.startswith(BREAK))
    # Re-assemble blocks: BREAK separates them, BREAK+"h" marks a heading.
    html: list[str] = []
    current: list[str] = []
    heading = False

    def close():
        if current:
            tag = "h3" if heading else "p"
            html.append(f'<{tag} class="text-diff__block">{" ".join(current)}</{tag}>')
            current.clear()

    for part in out:
        if part == BREAK:
            close()
            heading = False
        elif part == BREAK + "h":
            close()
            heading = True
        else:
            current.append(part)
    close()
    return "\n".join(html)


def has_changes(old_html: str, new_html: str) -> bool:
    return _tokens(blocks_of(old_html)) != _tokens(blocks_of(new_html))


def blocks_text(html: str) -> str:
    """The words of some HTML, on one line."""
    return " ".join(text for _kind, text in blocks_of(html))


def has_words(diff_html: str) -> bool:
    return "<ins>" in diff_html or "<del>" in diff_html

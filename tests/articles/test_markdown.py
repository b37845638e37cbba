"""The Markdown pipeline must never let script, style or event handlers through (articles/markdown.py)."""

from html.parser import HTMLParser

import pytest

from articles.markdown import markdownify, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://ex.com" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    '<div><script src="https://evil.example/x.js"></script></div>',
    "```html\n<script>alert(1)</script>\n```",
]


class ElementCollector(HTMLParser):
    """The elements and attributes a browser would build from the HTML (escaped text is just text)."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str) -> list[tuple[str, dict]]:
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source):
    html = render_markdown(source).html
    for tag, attrs in elements_of(html):
        assert tag not in {"script", "style", "svg", "iframe", "object", "embed", "form"}, html
        assert not [name for name in attrs if name.startswith("on") or name == "style"], html
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), html


def test_raw_html_is_shown_as_text_not_dropped_silently():
    assert "&lt;script&gt;" in render_markdown("Before <script>x</script> after").html


def test_external_links_get_noopener_and_internal_links_do_not():
    html = render_markdown("[court](https://www.nycourts.gov/) and [us](/about/)").html
    assert '<a href="https://www.nycourts.gov/" rel="noopener">court</a>' in html
    assert '<a href="/about/">us</a>' in html


def test_headings_get_prefixed_ids_and_a_table_of_contents():
    rendered = render_markdown("# Top\n\n## Main\n\ntext\n\n### Detail\n\n## Next steps\n")
    assert '<h2 id="section-top">Top</h2>' in rendered.html  # a "#" heading never makes a second <h1>
    assert '<h2 id="section-main">Main</h2>' in rendered.html  # never the page's own id="main"
    assert [item["title"] for item in rendered.toc] == ["Top", "Main", "Next steps"]
    assert rendered.toc[1]["children"][0] == {
        "id": "section-detail",
        "title": "Detail",
        "level": 3,
        "children": [],
    }


def test_allowed_formatting_survives():
    source = "**bold** _em_ `code`\n\n> quote\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![A chart](/media/x.png)"
    html = render_markdown(source).html
    for tag in ("<strong>", "<em>", "<code>", "<blockquote>", "<ol>", "<table>", "<td>", 'alt="A chart"'):
        assert tag in html


def test_reading_time_is_words_over_two_hundred_rounded_up():
    assert render_markdown("word " * 199).reading_minutes == 1
    assert render_markdown("word " * 401).reading_minutes == 3
    assert render_markdown("").reading_minutes == 1


def test_the_admin_preview_uses_the_same_renderer():
    assert markdownify("<script>x</script>\n\n## Hi") == render_markdown("<script>x</script>\n\n## Hi").html


def test_nul_bytes_are_dropped():
    assert "\x00" not in render_markdown("a\x00b").html


def test_phone_numbers_in_text_become_tel_links_and_the_markdown_stays_plain():
    source = (
        "Call us on 212-766-5222, (212) 766-5222 or 1-800-555-0100.\n\n"
        "Index No. 2023-123-45678 and a date 2024-05-06 are not phone numbers.\n\n"
        "Already a link: [our office](tel:+12127665222) and code `212-555-0103`.\n\n"
        "## Call 212-555-0104\n\n"
        "- list item 212 555 0106 end\n"
    )
    html = render_markdown(source).html
    assert '<a href="tel:+12127665222">212-766-5222</a>,' in html
    assert '<a href="tel:+12127665222">(212) 766-5222</a>' in html
    assert '<a href="tel:+18005550100">1-800-555-0100</a>.' in html
    assert '<a href="tel:+12125550106">212 555 0106</a> end' in html
    assert "2023-123-45678 and a date 2024-05-06 are" in html  # untouched
    assert '<a href="tel:+12127665222">our office</a>' in html  # no link inside a link
    assert "<code>212-555-0103</code>" in html
    assert '<h2 id="section-call-212-555-0104">Call 212-555-0104</h2>' in html
    assert "tel:" not in source.replace("tel:+12127665222", "")  # nothing was written back


def test_table_cells_are_searchable_but_kept_out_of_the_snippet_text():
    rendered = render_markdown(
        "Deadlines depend on the claim.\n\n"
        "| claim | deadline |\n|---|---|\n| Missed cancer diagnosis | 2 years |\n\n"
        "Ask a lawyer, [today](/consultation/).\n"
    )
    assert rendered.text == "Deadlines depend on the claim. Ask a lawyer, today."
    assert rendered.table_text == "claim deadline Missed cancer diagnosis 2 years"


@pytest.mark.parametrize(
    "source",
    [
        "![x](/static/../../etc/passwd)",
        "![x](/static/%2e%2e/%2E%2E/etc/passwd)",
        "[x](https://example.org/a/../b)",
        "![x](../secret.png)",
    ],
)
def test_addresses_with_parent_segments_are_dropped_by_the_sanitiser(source):
    html = render_markdown(source).html
    assert ".." not in html and "%2e" not in html.lower()
    assert "etc/passwd" not in html and "secret.png" not in html and "/b" not in html

"""The editor's view of an article in the admin: its state in words, the live preview's language and review
notice, and what the editor is told after saving (review pending, the plain-language meter).

What an article's approval means lives in the approval machinery; this module reads it in exactly two small
functions (`text_is_approved`, `article_state`), so a change there is adapted here in one place.
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.widgets import AdminMarkdownxWidget

from articles import plain_language
from articles.models import Article

REVIEW_PENDING = "Review pending — not public until an attorney approves."
APPROVED_NOTE = (
    "This text is approved. Any change you make waits for an attorney's approval before readers see it."
)
STATES = {
    "draft": "Draft",
    "awaiting": "Awaiting approval",
    "scheduled": "Scheduled",
    "live": "Live",
}


def text_is_approved(article) -> bool:
    """Whether what the editor sees is the text an attorney approved (no change waiting)."""
    if article is None or article.pk is None or article.approved_version_id is None:
        return False
    return bool(getattr(article, "is_approved", True))


def article_state(article, now=None) -> str:
    """One of STATES: a draft; published but never approved, so nothing is public ("awaiting"); approved with
    its time still to come ("scheduled"); or public ("live", even while a later change awaits approval: readers
    see the approved text)."""
    if article.status != Article.Status.PUBLISHED:
        return "draft"
    if article.approved_version_id is None:
        return "awaiting"
    if article.published_at is None or article.published_at > (now or timezone.now()):
        return "scheduled"
    return "live"


def short_date(moment) -> str:
    """A list cell: the New York date ("Dec 12, 2026"), the time in its tooltip."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    return format_html(
        '<span title="{}">{}</span>', f"{local:%b %-d, %Y, %-I:%M %p %Z}", f"{local:%b %-d, %Y}"
    )


def state_badge(article) -> str:
    state = article_state(article)
    return format_html('<span class="article-state article-state--{}">{}</span>', state, STATES[state])


class ArticleBodyWidget(AdminMarkdownxWidget):
    """markdownx's editor, whose live preview is asked for in the article's language (for its reading
    measure) and knows whether the text was approved when the page opened."""

    def __init__(self, *args, language: str = "en", approved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language if language in plain_language.TEXTSTAT_LANGUAGE else "en"
        self.approved = approved

    def add_markdownx_attrs(self, attrs):
        attrs = super().add_markdownx_attrs(attrs)
        attrs["data-markdownx-urls-path"] = (
            f"{attrs['data-markdownx-urls-path']}?language={self.language}&approved={int(self.approved)}"
        )
        return attrs


def meter_html(reading: plain_language.Reading | None, *, approved: bool) -> str:
    """The box at the top of the live preview: the review notice, then the reading measure."""
    notice = format_html(
        '<p class="editor-check__review editor-check__review--{}"><strong>{}</strong></p>',
        "approved" if approved else "pending",
        APPROVED_NOTE if approved else REVIEW_PENDING,
    )
    if reading is None:
        return format_html('<aside class="editor-check" aria-label="Before you save">{}</aside>', notice)
    longest = format_html_join("", "<li>{} words: “{}”</li>", reading.longest)
    words = (
        format_html(
            "<p>Legal words with no plain explanation in the sentence that first uses them: {}. Say what each "
            "means, e.g. in brackets.</p>",
            ", ".join(reading.unexplained),
        )
        if reading.unexplained
        else format_html("<p>{}</p>", "Every legal word on our list is explained where it first appears.")
    )
    return format_html(
        '<aside class="editor-check" aria-label="Before you save">{}'
        '<p class="editor-check__score editor-check__score--{}">{}</p>'
        "<details><summary>Longest sentences</summary><ol>{}</ol></details>{}</aside>",
        notice,
        "ok" if reading.meets_goal else "over",
        reading.summary,
        longest,
        words,
    )


def tell_after_save(model_admin, request, article) -> None:
    """After a save: whether readers can see it yet, and the plain-language measure of what was saved."""
    if not text_is_approved(article):
        model_admin.message_user(request, f"Saved. {REVIEW_PENDING}", messages.WARNING)
    reading = plain_language.measure_html(article.body_html, article.language)
    if reading is None:
        return
    model_admin.message_user(
        request, reading.summary, messages.SUCCESS if reading.meets_goal else messages.WARNING
    )
    if reading.longest and reading.longest[0][0] > plain_language.LONG_SENTENCE:
        words, sentence = reading.longest[0]
        model_admin.message_user(
            request, f"Longest sentence ({words} words), worth splitting: “{sentence}”", messages.WARNING
        )
    if reading.unexplained:
        model_admin.message_user(
            request,
            "Legal words to explain in plain words where they first appear: "
            + ", ".join(reading.unexplained)
            + ".",
            messages.WARNING,
        )


class EditorMixin:
    """For ArticleAdmin: the state column, the preview's widget and the messages after a save."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "body" in form.base_fields:
            field = form.base_fields["body"]
            field.widget = ArticleBodyWidget(
                attrs=field.widget.attrs,
                language=obj.language if obj is not None else "en",
                approved=text_is_approved(obj),
            )
        return form

    def response_add(self, request, obj, post_url_continue=None):
        tell_after_save(self, request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        tell_after_save(self, request, obj)
        return super().response_change(request, obj)

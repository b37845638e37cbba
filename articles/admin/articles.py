"""Articles in the admin: the editor, the list, publishing and the "Review and approve" button.

An editor's save of an approved article changes nothing readers see: the approved fields go to the article's
draft (articles/models/approved_content.py), which the change form shows, and wait for an attorney's approval.
Editors can never publish text by saving."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles import approval as approvals
from articles import images
from articles.admin import editor
from articles.admin.approval_screen import ApprovalScreenMixin, DraftFormMixin
from articles.admin.editor import EditorMixin
from articles.admin.filters import ApprovalFilter, CounterpartFilter, ReviewFilter, StateFilter
from articles.history import ReadableHistoryAdmin
from articles.models import Approval, Article, ArticleRedirect


class ArticleRedirectInline(admin.TabularInline):
    model = ArticleRedirect
    extra = 0
    can_delete = True
    readonly_fields = ["old_slug", "created_at"]
    verbose_name = "old address that redirects here"
    verbose_name_plural = "old addresses that redirect here"

    def has_add_permission(self, request, obj=None):
        return False  # created automatically when the slug changes


class CounterpartChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_language_display()})"


@admin.register(Article)
class ArticleAdmin(EditorMixin, DraftFormMixin, ApprovalScreenMixin, ReadableHistoryAdmin):
    # Fits a 1280-1440 px laptop with the title readable (static/css/admin-markdown.css); the practice area,
    # author, review date and featured flag are filters and on the article's page.
    list_display = [
        "title",
        "state",
        "approval",
        "language",
        "counterpart_link",
        "reviewed_by",
        "published",
    ]
    list_filter = [
        StateFilter,
        ApprovalFilter,
        ReviewFilter,
        "language",
        CounterpartFilter,
        "practice_area",
        "author",
        "reviewed_by",
        "is_featured",
    ]
    list_select_related = ["practice_area", "author", "reviewed_by", "counterpart"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_now", "unpublish"]  # no bulk approval: each text is approved on its own screen
    inlines = [ArticleRedirectInline]
    change_form_template = "admin/articles/article/change_form.html"
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["reading_minutes", "created_at", "updated_at", "approval_status", "approval_record"]

    class Media:
        css = {"all": ["css/admin-markdown.css"]}  # source and live preview side by side

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Wide boxes for the words readers see first; the summary gets room for its two sentences.
        if db_field.name in {"title", "seo_title"}:
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        elif db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3})
        elif db_field.name == "social_image":  # decoded and re-encoded without EXIF/GPS (articles/images.py)
            kwargs["form_class"] = images.CleanImageField
            kwargs["max_bytes"] = images.UPLOAD_MAX_BYTES
            kwargs["max_side"] = images.SOCIAL_IMAGE_MAX_SIDE
            kwargs["allowed"] = ("JPEG", "PNG", "WEBP")
        elif db_field.name == "counterpart":
            kwargs["form_class"] = CounterpartChoiceField
            kwargs["queryset"] = Article.objects.only("title", "language").order_by("language", "title")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "practice_area", "body"]}),
        (
            "Language",
            {
                "fields": [("language", "counterpart")],
                "description": "Spanish articles appear on the Spanish site (/es/articulos/…). Link the "
                "article on the same subject in the other language: readers can switch between them and "
                "search engines show each reader the right one. The link is made on both articles.",
            },
        ),
        (
            "Review and publication",
            {
                "fields": [
                    ("author", "reviewed_by", "last_reviewed_on"),
                    ("status", "published_at"),
                    "is_featured",
                    "approval_status",
                    "approval_record",
                ],
                "description": "Set the status to Published and choose a time. A future time schedules the "
                "article: it goes live by itself once an attorney has approved its text. Any later change "
                "to what readers see (title, address, summary, body, author, review, practice area, search "
                "title, social image) is kept as a change waiting for approval; readers keep seeing the "
                "approved version until an attorney approves it. Use “View on site” to preview.",
            },
        ),
        ("Search engines and sharing", {"fields": ["seo_title", "social_image"], "classes": ["collapse"]}),
        ("Information", {"fields": ["reading_minutes", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_pending()
            .defer("body_html", "body_text", "search_vector", "toc")
            .defer("counterpart__body", "counterpart__body_html", "counterpart__body_text")
            .defer("counterpart__search_vector", "counterpart__toc")
        )

    def get_urls(self):
        return [*self.approval_urls(), *super().get_urls()]

    def draft_saved(self, request, obj):
        obj.prepare_proposed()  # the saved change, rendered: what the editor's messages measure

    def what_waits(self, obj) -> str:
        return approvals.what_waits(obj)

    @admin.display(description="approval")
    def approval(self, obj):
        if obj.approved_version_id and obj.has_pending_draft:
            return format_html(
                '<span class="article-state article-state--scheduled">{}</span>', "Change awaiting approval"
            )
        if obj.approved_version_id:
            return format_html('<span class="article-state article-state--live">{}</span>', "Approved")
        if obj.status == Article.Status.PUBLISHED:
            return format_html(
                '<span class="article-state article-state--scheduled">{}</span>', "Awaiting approval"
            )
        return "—"

    @admin.display(description="attorney approval")
    def approval_status(self, obj):
        if obj is None or obj.pk is None:
            return "Not approved yet. Save, then an attorney approves the text."
        approval = obj.approved_version
        if approval is None:
            return "Not approved yet: nothing of this article is public until an attorney approves it."
        when = timezone.localtime(approval.approved_at).strftime("%B %-d, %Y, %-I:%M %p %Z")
        name = approval.approver_name or approval.approved_by
        if obj.pending_draft is None:
            return f"This text was approved by {name} on {when}."
        return (
            f"Awaiting approval: this form shows a change saved since {name} approved the article on {when}. "
            "Readers see the approved version until an attorney approves this one."
        )

    @admin.display(description="approvals (newest first)")
    def approval_record(self, obj):
        """The article's past approvals, read-only: when, the attorney's name as it was, the login that
        approved, the start of the approved text's fingerprint and whether it was a self-approval (each
        record in full under Articles › Approvals)."""
        if obj is None or obj.pk is None:
            return "—"
        rows = Approval.objects.for_object(obj).select_related("approved_by", "approved_by_user")[:10]
        return (
            format_html_join(
                "",
                '<div>{} — {}{} · fingerprint <code title="sha256 of the approved text">{}…</code>{}</div>',
                (
                    (
                        timezone.localtime(row.approved_at).strftime("%B %-d, %Y, %-I:%M %p %Z"),
                        row.approver_name or row.approved_by or "—",
                        f" (login {row.approved_by_user.get_username()})" if row.approved_by_user else "",
                        row.content_hash[:12],
                        " (self-approval)" if row.is_self_approval else "",
                    )
                    for row in rows
                ),
            )
            or "None yet."
        )

    @admin.display(description="other language")
    def counterpart_link(self, obj):
        if not obj.counterpart_id:
            return format_html('<span class="article-state article-state--draft">{}</span>', "missing")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.counterpart_id]),
            obj.counterpart.get_language_display(),
        )

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        return editor.short_date(obj.published_at)

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        return editor.state_badge(obj)  # draft / awaiting approval / scheduled / live

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_now(self, request, queryset):
        unreviewed = queryset.filter(Q(reviewed_by__isnull=True) | Q(last_reviewed_on__isnull=True))
        if unreviewed.exists():
            self.message_user(
                request,
                "Not published: every article needs a reviewing attorney and a review date first "
                f"({', '.join(unreviewed.values_list('title', flat=True)[:5])}).",
                messages.ERROR,
            )
            return
        count = 0
        for article in queryset.exclude(pk__in=Article.objects.published()):
            article.status = Article.Status.PUBLISHED
            article.published_at = timezone.now()
            article.save()  # through save(): history and the page cache see the change
            count += 1
        self.message_user(
            request,
            f"Published {count} article(s). Each goes live once an attorney approves its text.",
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        self.message_user(request, f"Moved {count} article(s) back to draft.", messages.SUCCESS)

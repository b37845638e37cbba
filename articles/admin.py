import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles import photos
from articles.approval import approve_article, approver_for
from articles.history import ReadableHistoryAdmin
from articles.models import (
    ArchiveCapture,
    ArchiveRun,
    ArchiveRunPage,
    Article,
    ArticleApproval,
    ArticleRedirect,
    Person,
    PracticeArea,
    SearchSynonym,
)

BODY_TAG = re.compile(r"<body[^>]*>", re.IGNORECASE)


class ArticleRedirectInline(admin.TabularInline):
    model = ArticleRedirect
    extra = 0
    can_delete = True
    readonly_fields = ["old_slug", "created_at"]
    verbose_name = "old address that redirects here"
    verbose_name_plural = "old addresses that redirect here"

    def has_add_permission(self, request, obj=None):
        return False  # created automatically when the slug changes


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("scheduled", "Scheduled"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        # The same definitions the site uses: published() and scheduled() on the queryset.
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        return queryset


class ApprovalFilter(admin.SimpleListFilter):
    title = "attorney approval"
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting approval"), ("approved", "Current text approved")]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_approval()
        if self.value() == "approved":
            return queryset.filter(approved_version__content_hash=models.F("content_hash"))
        return queryset


class ArticleApprovalInline(admin.TabularInline):
    model = ArticleApproval
    fk_name = "article"
    extra = 0
    can_delete = False
    fields = ["approved_at", "approved_by", "title", "content_hash", "note"]
    readonly_fields = fields
    verbose_name_plural = "attorney approvals (newest first)"

    def has_add_permission(self, request, obj=None):
        return False  # only the "Approve this text" button records one

    def has_change_permission(self, request, obj=None):
        return False


class ReviewFilter(admin.SimpleListFilter):
    title = "legal review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Over a year ago"), ("none", "Not reviewed yet")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due()
        if self.value() == "none":
            return queryset.filter(last_reviewed_on__isnull=True)
        return queryset


class CounterpartFilter(admin.SimpleListFilter):
    """Articles that have no version in the other language yet (the Spanish site's gaps, and vice versa)."""

    title = "counterpart in the other language"
    parameter_name = "counterpart"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("linked", "Linked")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.missing_counterpart()
        if self.value() == "linked":
            return queryset.filter(counterpart__isnull=False)
        return queryset


class CounterpartChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_language_display()})"


@admin.register(Article)
class ArticleAdmin(ReadableHistoryAdmin):
    list_display = [
        "title",
        "language",
        "counterpart_link",
        "state",
        "approval",
        "practice_area",
        "author",
        "reviewed_by",
        "last_reviewed_on",
        "published_at",
        "is_featured",
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
    list_select_related = ["practice_area", "author", "reviewed_by", "approved_version", "counterpart"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_now", "unpublish", "approve_selected"]
    inlines = [ArticleApprovalInline, ArticleRedirectInline]
    change_form_template = "admin/articles/article/change_form.html"
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["reading_minutes", "created_at", "updated_at", "approval_status"]

    class Media:
        css = {"all": ["css/admin-markdown.css"]}  # source and live preview side by side

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Wide boxes for the words readers see first; the summary gets room for its two sentences.
        if db_field.name in {"title", "seo_title"}:
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        elif db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3})
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
                ],
                "description": "Set the status to Published and choose a time. A future time schedules the "
                "article: it goes live by itself once an attorney has approved its text. Any later change "
                "to the title, summary, body or review waits for a new approval; readers keep seeing the "
                "approved text until then. Use “View on site” to preview.",
            },
        ),
        ("Search engines and sharing", {"fields": ["seo_title", "social_image"], "classes": ["collapse"]}),
        ("Information", {"fields": ["reading_minutes", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("body_html", "body_text", "search_vector", "toc", "approved_version__body_html")
            .defer("counterpart__body", "counterpart__body_html", "counterpart__body_text")
            .defer("counterpart__search_vector", "counterpart__toc")
        )

    def get_urls(self):
        approve = self.admin_site.admin_view(require_POST(self.approve_view))
        return [
            path("<path:object_id>/approve/", approve, name="articles_article_approve"),
            *super().get_urls(),
        ]

    def has_approve_permission(self, request, obj=None) -> bool:
        """Only an attorney's own staff account approves (not editors, not superusers)."""
        return approver_for(request.user) is not None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_approve": self.has_approve_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def approve_view(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_approve_permission(request):
            raise PermissionDenied
        self._approve(request, [article])
        return redirect("admin:articles_article_change", article.pk)

    def _approve(self, request, articles) -> None:
        approved, refused = [], []
        for article in articles:
            try:
                approve_article(article=article, user=request.user)
                approved.append(article.title)
            except ValidationError as error:
                refused.append(f"{article.title}: {' '.join(error.messages)}")
        if approved:
            self.message_user(
                request,
                f"Approved the current text of: {', '.join(approved)}. Published articles show it now.",
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, f"Not approved — {message}", messages.ERROR)

    @admin.action(description="Approve the current text of the selected articles", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self._approve(request, list(queryset))

    @admin.display(description="approval")
    def approval(self, obj):
        if obj.approved_version_id and obj.approved_version.content_hash == obj.content_hash:
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
        if approval.content_hash == obj.content_hash:
            return f"This text was approved by {approval.approved_by} on {when}."
        return (
            f"Awaiting approval: changed since {approval.approved_by} approved it on {when}. "
            "Readers see the approved text until an attorney approves this one."
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

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        if obj.status == Article.Status.DRAFT:
            label, css = "Draft", "draft"
        elif obj.is_scheduled:
            label, css = "Scheduled", "scheduled"
        else:
            label, css = "Live", "live"
        return format_html('<span class="article-state article-state--{}">{}</span>', css, label)

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


@admin.register(PracticeArea)
class PracticeAreaAdmin(ReadableHistoryAdmin):
    list_display = ["name", "slug", "name_es", "slug_es", "order"]
    list_editable = ["order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ArticleApproval)
class ArticleApprovalAdmin(admin.ModelAdmin):
    """The record of who approved what went live: readable, never editable."""

    list_display = ["approved_at", "title", "approved_by", "content_hash", "note"]
    list_filter = ["approved_by"]
    list_select_related = ["approved_by"]
    search_fields = ["title", "content_hash"]
    date_hierarchy = "approved_at"
    fields = [
        "article", "approved_by", "approved_at", "content_hash", "note", "title", "summary",
        "reviewed_by", "last_reviewed_on", "text_updated_at", "body_html",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "toc")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "is_sample", "name", "slug", "role", "job_title", "bar_admissions", "bio", "order", "user",
            "photo", "photo_alt",
        ]  # fmt: skip

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and "photo" in self.changed_data:
            try:
                photos.open_portrait(photo)
            except photos.UnusablePhoto as error:
                raise forms.ValidationError(str(error), code="photo") from error
        return photo


@admin.register(Person)
class PersonAdmin(ReadableHistoryAdmin):
    form = PersonForm
    list_display = ["name", "sample_marker", "role", "job_title", "has_photo", "user", "order"]
    list_select_related = ["user"]
    list_filter = ["is_sample", "role"]
    search_fields = ["name", "job_title", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["portrait_preview"]
    fieldsets = [
        (
            "Sample or real",
            {
                "fields": ["is_sample"],
                "description": "Sample profiles come with the demo content: made-up people with made-up "
                "admissions. They must never go live as members of the firm.",
            },
        ),
        (None, {"fields": ["name", "slug", "role", "job_title", "bar_admissions", "bio", "order", "user"]}),
        ("Photo", {"fields": ["photo", "portrait_preview", "photo_alt"]}),
    ]

    @admin.display(description="sample?", boolean=False, ordering="is_sample")
    def sample_marker(self, person):
        if person.is_sample:
            return format_html("<strong>{}</strong>", "SAMPLE – not a real person")
        return "real"

    @admin.display(description="photo", boolean=True)
    def has_photo(self, person):
        return bool(person.photo)

    @admin.display(description="resized photo")
    def portrait_preview(self, person):
        portrait = person.portrait
        if not portrait:
            return "No photo yet: pages show the initials instead."
        return format_html(
            '<img src="{}" width="160" height="200" alt="{}">', portrait["src"], person.photo_description
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.is_sample and request.method == "GET":
            messages.warning(
                request,
                f"{obj.name} is a SAMPLE profile from the demo content, not a member of the firm. Replace or "
                "delete it before the site goes live; do not give it a real attorney's name or credentials.",
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if "photo" in form.changed_data:
            old = obj.photo_renditions
            stem = obj.slug or "person"
            if obj.photo:
                obj.photo_renditions = photos.make_renditions(obj.photo, stem=stem)
                cleaned = photos.cleaned_original(obj.photo)
                obj.photo.save(f"{stem}.jpg", cleaned, save=False)  # the upload itself is never stored
            else:
                obj.photo_renditions = {}
            super().save_model(request, obj, form, change)
            transaction.on_commit(lambda: photos.delete_renditions(old))
        else:
            super().save_model(request, obj, form, change)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["phrase", "expansion", "language"]
    list_filter = ["language"]
    search_fields = ["phrase", "expansion"]


class ArchiveRunPageInline(admin.TabularInline):
    model = ArchiveRunPage
    extra = 0
    can_delete = False
    fields = ["url", "copy"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("capture").defer("capture__html_gzip")

    @admin.display(description="page copy")
    def copy(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_archivecapture_open", args=[obj.capture_id]),
            f"captured {timezone.localtime(obj.capture.captured_at):%b %-d, %Y, %-I:%M %p %Z}",
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Archive rows are evidence: staff may look, nobody may add, change or delete them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and super().has_view_permission(request, obj)


@admin.register(ArchiveRun)
class ArchiveRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "reason", "status", "page_count", "stored_count"]
    list_filter = ["status", "trigger"]
    date_hierarchy = "started_at"
    fields = [
        "started_at",
        "trigger",
        "reason",
        "status",
        "error",
        "page_count",
        "stored_count",
        "manifest_sha256",
    ]
    readonly_fields = fields
    inlines = [ArchiveRunPageInline]


@admin.register(ArchiveCapture)
class ArchiveCaptureAdmin(ReadOnlyAdmin):
    list_display = ["captured_at", "url", "reason", "approved_by", "size", "short_hash", "open_link"]
    list_filter = ["reason"]
    search_fields = ["url", "sha256", "approved_by"]
    date_hierarchy = "captured_at"
    fields = ["url", "captured_at", "reason", "approved_by", "sha256", "size", "run", "open_link"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("html_gzip")

    def get_urls(self):
        view = self.admin_site.admin_view(self.open_view)
        return [path("<int:pk>/open/", view, name="articles_archivecapture_open"), *super().get_urls()]

    @admin.display(description="sha256")
    def short_hash(self, obj):
        return format_html('<code title="{}">{}…</code>', obj.sha256, obj.sha256[:12])

    @admin.display(description="copy")
    def open_link(self, obj):
        url = reverse("admin:articles_archivecapture_open", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Open as it looked</a>', url)

    def open_view(self, request, pk):
        """The stored page, exactly as captured, under a banner; sandboxed so nothing in it runs."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        capture = get_object_or_404(ArchiveCapture, pk=pk)
        when = timezone.localtime(capture.captured_at).strftime("%B %-d, %Y, %-I:%M %p %Z")
        banner = format_html(
            '<div role="note" style="position:sticky;top:0;z-index:9999;background:#fff3cd;color:#1a1a1a;'
            "border-bottom:2px solid #8a6d00;padding:.6em 1em;font:15px/1.4 system-ui,sans-serif;"
            'overflow-wrap:anywhere">'
            "<strong>Archive copy, not the live site.</strong> {} as captured on {} ({}). sha256 {}</div>",
            capture.url,
            when,
            capture.reason,
            capture.sha256,
        )
        html = capture.html().decode("utf-8", errors="replace")
        html = BODY_TAG.sub(lambda m: m.group(0) + str(banner), html, count=1)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        # Scripts never run and nothing loads from anywhere; the inlined styles and images still show.
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
        return response

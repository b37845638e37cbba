from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, ArticleRedirect, Person, PracticeArea, SearchSynonym


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


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "state",
        "practice_area",
        "author",
        "reviewed_by",
        "last_reviewed_on",
        "published_at",
        "is_featured",
    ]
    list_filter = [StateFilter, ReviewFilter, "practice_area", "author", "reviewed_by", "is_featured"]
    list_select_related = ["practice_area", "author", "reviewed_by"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_now", "unpublish"]
    inlines = [ArticleRedirectInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["reading_minutes", "created_at", "updated_at"]

    class Media:
        css = {"all": ["css/admin-markdown.css"]}  # source and live preview side by side

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Wide boxes for the words readers see first; the summary gets room for its two sentences.
        if db_field.name in {"title", "seo_title"}:
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        elif db_field.name == "summary":
            kwargs["widget"] = forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "practice_area", "body"]}),
        (
            "Review and publication",
            {
                "fields": [
                    ("author", "reviewed_by", "last_reviewed_on"),
                    ("status", "published_at"),
                    "is_featured",
                ],
                "description": "Set the status to Published and choose a time. A future time schedules the "
                "article: it goes live by itself. Use “View on site” to preview a draft.",
            },
        ),
        ("Search engines and sharing", {"fields": ["seo_title", "social_image"], "classes": ["collapse"]}),
        ("Information", {"fields": ["reading_minutes", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "body_text", "search_vector", "toc")

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
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        self.message_user(request, f"Moved {count} article(s) back to draft.", messages.SUCCESS)


@admin.register(PracticeArea)
class PracticeAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "job_title", "order"]
    list_filter = ["role"]
    search_fields = ["name", "job_title", "bio"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["phrase", "expansion"]
    search_fields = ["phrase", "expansion"]

"""The article list's filters: state, attorney approval, legal review, counterpart."""

from django.contrib import admin

from articles.models import Article


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
            return queryset.filter(approved_version__isnull=False).exclude(
                pk__in=queryset.with_pending_change()
            )
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

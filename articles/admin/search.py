"""Search synonyms in the admin."""

from django.contrib import admin

from articles.models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["phrase", "expansion", "language"]
    list_filter = ["language"]
    search_fields = ["phrase", "expansion"]

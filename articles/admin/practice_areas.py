"""Practice areas in the admin."""

from django.contrib import admin

from articles.history import ReadableHistoryAdmin
from articles.models import PracticeArea


@admin.register(PracticeArea)
class PracticeAreaAdmin(ReadableHistoryAdmin):
    list_display = ["name", "slug", "name_es", "slug_es", "order"]
    list_editable = ["order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}

"""Practice areas in the admin: every translated field (articles/translation.py) in English and Spanish; an edit of
an approved area waits for an attorney's approval (articles/admin/approval_screen.py)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from articles.admin.approval_screen import DraftAdminMixin
from articles.history import ReadableHistoryAdmin
from articles.models import PracticeArea


@admin.register(PracticeArea)
class PracticeAreaAdmin(DraftAdminMixin, TranslationAdmin, ReadableHistoryAdmin):
    list_display = ["name_en", "slug_en", "name_es", "slug_es", "approval", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_es", "summary_en", "summary_es"]
    prepopulated_fields = {"slug": ["name"]}  # slug_en from name_en, slug_es from name_es
    fieldsets = [
        (None, {"fields": ["name_en", "slug_en", "summary_en", "description_en", "order"]}),
        (
            "Spanish site (/es/)",
            {
                "fields": ["name_es", "slug_es", "summary_es", "description_es"],
                "description": "What Spanish-speaking readers see; an empty field shows the English.",
            },
        ),
    ]

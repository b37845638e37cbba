"""Which model fields have a Spanish version: the site's one mechanism for per-field translations.

django-modeltranslation gives each field listed here a column per language (``name_en``, ``name_es``) and makes
the field itself (``area.name``) read the active language's column, falling back to English when the Spanish
one is empty. Templates and views read the plain field; the admin shows both columns (articles/admin/).
Articles are not here: an article's translation is a row of its own, linked as its counterpart.

The history models (django-simple-history) are registered with the same fields, so a saved version keeps
both languages. Code that means one language whatever page is active names the column (``slug_en``: the
consultation form's area keys). The plain column (``name``) is still in the table, holding whichever language
was active when the row was last saved: queries outside the translated model's own manager (an article's
``practice_area__slug``) must name ``_en`` or ``_es``. Firm facts that differ by language are not model fields: articles/firm_facts.py
and articles/compliance.py hold them.
"""

from modeltranslation.translator import TranslationOptions, translator

from articles.models import Person, PracticeArea, TimeLimitRule


class PracticeAreaTranslation(TranslationOptions):
    fields = ("name", "slug", "summary", "description")
    required_languages = ("en",)  # English is required as before; an empty Spanish field shows the English
    # name and slug are unique: an empty Spanish one is stored as NULL, so several areas may lack one.
    empty_values = {"name": None, "slug": None}
    field_options = {
        "slug": {
            "es": {
                "help_text": "The end of the Spanish address (/es/areas-de-practica/this-part/). "
                "Empty: the English slug."
            }
        }
    }


class PersonTranslation(TranslationOptions):
    fields = ("job_title", "bio", "bar_admissions", "photo_alt")
    required_languages = {"en": ("job_title", "bio")}


class TimeLimitRuleTranslation(TranslationOptions):
    fields = TimeLimitRule.TEXT_FIELDS
    # Every word is required in both languages but the notes: readers see the approved snapshot of both.
    required_languages = {
        lang: tuple(f for f in TimeLimitRule.TEXT_FIELDS if f != "notes") for lang in ("en", "es")
    }


translator.register(PracticeArea, PracticeAreaTranslation)
translator.register(Person, PersonTranslation)
# The history rows copy every column of the row they record, the translations included.
translator.register(PracticeArea.history.model, PracticeAreaTranslation)
translator.register(Person.history.model, PersonTranslation)
translator.register(TimeLimitRule, TimeLimitRuleTranslation)
translator.register(TimeLimitRule.history.model, TimeLimitRuleTranslation)

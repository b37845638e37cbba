"""People in the admin: profiles in English and Spanish (articles/translation.py), photos (resized on save) and
the sample-profile warnings."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin

from articles import photos
from articles.admin.approval_screen import DraftAdminMixin
from articles.history import ReadableHistoryAdmin
from articles.models import Person


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "is_sample", "name", "slug", "role", "job_title_en", "bar_admissions_en", "bio_en", "order", "user",
            "photo", "photo_alt_en", "job_title_es", "bar_admissions_es", "bio_es", "photo_alt_es",
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
class PersonAdmin(DraftAdminMixin, TranslationAdmin, ReadableHistoryAdmin):
    form = PersonForm
    list_display = ["name", "sample_marker", "role", "job_title_en", "has_photo", "approval", "user", "order"]
    list_select_related = ["user"]
    list_filter = ["is_sample", "role"]
    search_fields = ["name", "job_title_en", "job_title_es", "bio_en", "bio_es"]
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
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "role",
                    "job_title_en",
                    "bar_admissions_en",
                    "bio_en",
                    "order",
                    "user",
                ]
            },
        ),
        ("Photo", {"fields": ["photo", "portrait_preview", "photo_alt_en"]}),
        (
            "Spanish site (/es/)",
            {
                "fields": ["job_title_es", "bar_admissions_es", "bio_es", "photo_alt_es"],
                "description": "What Spanish-speaking readers see; an empty field shows the English.",
            },
        ),
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

    # Who may approve what goes live is decided by whoever may grant it: only a superuser sets a person's
    # role or links a person to a staff login. Otherwise an editor could add "an attorney" linked to their
    # own login and approve their own articles.
    GRANTING_FIELDS = ("role", "user")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.GRANTING_FIELDS if name not in fields]
        return fields

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.is_sample and request.method == "GET":
            messages.warning(
                request,
                f"{obj.name} is a SAMPLE profile from the demo content, not a member of the firm. Replace or "
                "delete it before the site goes live; do not give it a real attorney's name or credentials.",
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Read-only fields are not in the form; this holds even for a hand-made POST.
            saved = Person.objects.filter(pk=obj.pk).values("role", "user_id").first() if change else None
            obj.role = saved["role"] if saved else Person.Role.STAFF
            obj.user_id = saved["user_id"] if saved else None
        if "photo" in form.changed_data:
            old = obj.photo_renditions
            old_original = (
                Person.objects.filter(pk=obj.pk).values_list("photo", flat=True).first() if change else ""
            )
            stem = obj.slug or "person"
            if obj.photo:
                obj.photo_renditions = photos.make_renditions(obj.photo, stem=stem)
                cleaned = photos.cleaned_original(obj.photo)
                obj.photo.save(f"{stem}.jpg", cleaned, save=False)  # the upload itself is never stored
            else:
                obj.photo_renditions = {}
            super().save_model(request, obj, form, change)
            live = Person.objects.filter(pk=obj.pk).values_list("photo", flat=True).first()
            if live != (obj.photo.name or ""):
                return  # the new photo waits for approval in the draft; the live one stays on disk
            # /media/ is public: a replaced or removed photo and its copies go once the save commits, unless a
            # row or a draft names them (the rule every approved model's files follow, drop_superseded_files).
            Person.drop_superseded_files(
                {"photo": old_original or "", "photo_renditions": old},
                kept=[{"photo": obj.photo.name or "", "photo_renditions": obj.photo_renditions}],
            )
        else:
            super().save_model(request, obj, form, change)

"""People of the firm: authors and reviewing attorneys of articles, introduced on /about/ and their own pages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords

from articles.addresses import address
from articles.i18n import current_language
from articles.models.approved_content import ApprovedContent, ApprovedContentQuerySet, drafts_of


class PersonQuerySet(ApprovedContentQuerySet):
    def approvers(self):
        """Attorneys with an active staff account: who may approve articles, and who is told when one waits."""
        return self.filter(role=Person.Role.ATTORNEY, user__is_active=True, user__is_staff=True)


class Person(ApprovedContent):
    """Attorneys and staff: authors and legal reviewers of articles, introduced on /about/.

    Their public fields reach readers only once approved (articles/models/approved_content.py): an edit of an
    approved person waits in its draft, the photo with its resized copies. The role and the staff account are
    not public text: only superusers set them (articles/admin/people.py) and they apply at once."""

    changes_public_pages = True
    APPROVED_FIELDS = (
        "name", "job_title_en", "job_title_es", "bio_en", "bio_es", "bar_admissions_en", "bar_admissions_es",
        "photo", "photo_renditions", "photo_alt_en", "photo_alt_es",
    )  # fmt: skip
    DERIVED_FIELDS = ("updated_at",)  # moves when approved values reach the row (the sitemap's lastmod)

    class Role(models.TextChoices):
        ATTORNEY = "attorney", "Attorney"
        STAFF = "staff", "Staff"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=120, help_text='For example "Partner" or "Legal content editor".')
    bio = models.TextField("biography", help_text="A short plain-text biography shown on the About page.")
    # job_title, bio, bar_admissions and photo_alt are translated (articles/translation.py): a column per
    # language (bio_en, bio_es, …), read in the active language; an empty Spanish one falls back to English.
    bar_admissions = models.CharField(
        max_length=300,
        blank=True,
        help_text='Courts the attorney is admitted to practice before, with the year, e.g. "New York, 2009; '
        'U.S. District Court, S.D.N.Y., 2010". Shown on the profile page. Leave empty for staff.',
    )
    photo = models.ImageField(
        upload_to="people/originals/",
        blank=True,
        help_text="A portrait (JPEG, PNG or WebP), ideally 400 pixels wide or more. It is cropped to 4:5 and "
        "resized when saved.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text='What the photo shows, for people who cannot see it. Empty: "Portrait of <name>".',
    )
    # Resized copies of the photo (articles/photos.py), made when the photo is saved in the admin:
    # {"width": w, "height": h, "webp": {"96": url-path, ...}, "jpeg": {...}}.
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    is_sample = models.BooleanField(
        "sample profile",
        default=False,
        help_text="A made-up person from the demo content, not a member of the firm. Replace or delete "
        "every sample profile before the site goes live.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    # An attorney with an active staff account may approve articles for publication (articles/approval.py).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="staff account",
        help_text="For an attorney: the staff account that signs in to approve articles. Leave empty "
        "for people who do not approve.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    # Every field a person can change is in the history, the staff account link included (who may approve is
    # a matter of record); only the photo's resized copies, derived from the photo, are left out.
    history = HistoricalRecords(excluded_fields=["photo_renditions", "approved_version"])

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:person", None, self.slug)

    @property
    def initials(self) -> str:
        """For the monogram shown when there is no photo: first letters of the first and last names."""
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalpha()]
        return "".join(w[0] for w in (words[:1] + words[1:][-1:])).upper()

    @property
    def photo_description(self) -> str:
        """The photo's alt text in the active language (the written one, or "Portrait of <name>")."""
        # Not the English description on a Spanish page: "Retrato de <nombre>" reads better there.
        written = getattr(self, build_localized_fieldname("photo_alt", current_language()))
        return written or gettext("Portrait of %(name)s") % {"name": self.name}

    @property
    def portrait(self) -> dict | None:
        """The resized photo for templates (includes/portrait.html): srcsets, a fallback src, its size."""
        renditions = self.photo_renditions or {}
        if not (self.photo and renditions.get("webp") and renditions.get("jpeg")):
            return None
        media = settings.MEDIA_URL

        def srcset(key):
            return ", ".join(f"{media}{name} {width}w" for width, name in renditions[key].items())

        jpeg = renditions["jpeg"]
        return {
            "webp_srcset": srcset("webp"),
            "jpeg_srcset": srcset("jpeg"),
            "src": media + jpeg[str(max(int(w) for w in jpeg))],
            "width": renditions["width"],
            "height": renditions["height"],
        }

    @classmethod
    def stored_files(cls, values: dict) -> set[str]:
        """The photo and its resized copies ({"webp": {"96": name, …}, "jpeg": {…}, "width": …})."""
        renditions = values.get("photo_renditions") or {}
        copies = {name for sizes in renditions.values() if isinstance(sizes, dict) for name in sizes.values()}
        return super().stored_files(values) | copies

    @classmethod
    def files_in_use(cls, names: set[str]) -> set[str]:
        """Every row's and draft's photo and copies (a firm has few people, so all are read)."""
        rows = cls._default_manager.values("photo", "photo_renditions")
        named = set().union(
            *(cls.stored_files(values) for values in [*rows, *drafts_of(cls).values_list("data", flat=True)])
        )
        return names & named

    def approval_parts(self) -> list[tuple[str, str, bool]]:
        """What the approval screen shows: every public field (the photo by its file; its copies follow it)."""
        return [part for part in super().approval_parts() if part[0] != "Photo renditions"]

    @property
    def can_approve(self) -> bool:
        """An attorney whose staff account is active: the only people who may approve articles."""
        user = self.user
        return self.role == self.Role.ATTORNEY and user is not None and user.is_active and user.is_staff

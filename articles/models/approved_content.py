"""Approved content: the public row is the approved one, edits wait in a draft (articles/approval.py approves).

One mechanism for every kind of content a visitor reads (articles, time limits, …), as Wagtail keeps a live
page beside its revisions:

- A model that inherits ``ApprovedContent`` names its ``APPROVED_FIELDS``. Once an attorney has approved a
  row (``approved_version`` is set), a save that changes any of those fields does not touch them on the row:
  the proposed values go into the row's ``Draft`` (one per object) and the row keeps the approved ones.
  Everything that reads the row (pages, lists, search, suggestions, feed, sitemap, JSON-LD, the archive)
  therefore reads approved text by construction. A row never approved is not public, so it is edited in place.
- ``Approval`` is the immutable record: who approved (the user and the attorney's name as it was), when, the
  sha256 of exactly the values shown and those values. Approving copies them onto the row.
"""

import hashlib
import json
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import cached_property


def values_hash(values: dict) -> str:
    """sha256 of a JSON-able dict of shown values (key order does not matter)."""
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def dump_field(obj, name: str):
    """One field's value as JSON (a foreign key as its id, a file as its name, a date as ISO text)."""
    value = obj._meta.get_field(name).value_from_object(obj)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def load_field(obj, name: str, raw) -> None:
    field = obj._meta.get_field(name)
    setattr(obj, field.attname, None if raw is None else field.to_python(raw))


class Draft(models.Model):
    """The proposed values of an approved object's approved fields, waiting for an attorney (one per object)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    data = models.JSONField("proposed values")
    content_hash = models.CharField(
        max_length=64, help_text="sha256 of the proposed values, as they would show."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="draft_one_per_object")
        ]
        verbose_name = "change waiting for approval"
        verbose_name_plural = "changes waiting for approval"

    def __str__(self):
        return f"Change to {self.content_type} #{self.object_id}, waiting for approval"


def drafts_of(model) -> models.QuerySet:
    return Draft.objects.filter(content_type=ContentType.objects.get_for_model(model))


class ApprovedContentQuerySet(models.QuerySet):
    def with_pending(self):
        """Annotate ``has_pending_draft`` (for lists that show whether a change waits)."""
        return self.annotate(
            has_pending_draft=models.Exists(drafts_of(self.model).filter(object_id=models.OuterRef("pk")))
        )

    def public(self):
        """Rows readers may see: approved at least once (the row holds the approved values)."""
        return self.filter(approved_version__isnull=False)

    def with_pending_change(self):
        """Rows with a change waiting in a draft."""
        return self.filter(pk__in=drafts_of(self.model).values("object_id"))

    def awaiting_approval(self):
        """Rows that wait for an attorney (articles/waiting.py): never approved, or with a change waiting in
        a draft. (Articles say it themselves: one never approved waits only once it is set to publish.)"""
        return self.filter(
            models.Q(approved_version__isnull=True)
            | models.Q(pk__in=drafts_of(self.model).values("object_id"))
        )


class ApprovedContent(models.Model):
    """A model whose ``APPROVED_FIELDS`` reach readers only through an attorney's approval (see above)."""

    APPROVED_FIELDS: tuple[str, ...] = ()

    approved_version = models.OneToOneField(
        "articles.Approval",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    # Set by articles/approval.py while it copies approved values onto the row.
    _applying_approval = False
    # Who saves (the admin sets it), for the draft's record.
    _saved_by = None

    def save(self, **kwargs):
        self.normalise()
        diverted = (
            self.pk is not None
            and not self._state.adding
            and not self._applying_approval
            and self._divert_to_draft(kwargs)
        )
        if not diverted:
            self.save_live(**kwargs)

    def normalise(self) -> None:
        """Bring the approved fields to their stored form (so an unchanged value is not taken for an edit)."""

    def save_other_fields(self, **kwargs):
        """Write the columns that are not approved text (``update_fields`` names them) of an approved row."""
        models.Model.save(self, **kwargs)

    def save_live(self, **kwargs):
        """Write the row (a subclass with its own save logic overrides this, not save())."""
        models.Model.save(self, **kwargs)

    def shown_values(self) -> dict:
        """What an attorney is shown and approves, as JSON (a subclass adds what it renders)."""
        return {name: dump_field(self, name) for name in self.APPROVED_FIELDS}

    def proposed_hash(self) -> str:
        return values_hash(self.shown_values())

    def approved_record(self) -> dict:
        """What the approval record keeps of the approved values (a subclass adds what readers get)."""
        return self.shown_values()

    def approval_parts(self) -> list[tuple[str, str, bool]]:
        """What the approval screen shows: (label, text, whether it is HTML), one per approved field."""
        parts = []
        for name in self.APPROVED_FIELDS:
            field = self._meta.get_field(name)
            value = getattr(self, name)
            parts.append((str(field.verbose_name).capitalize(), "" if value is None else str(value), False))
        return parts

    def _divert_to_draft(self, kwargs) -> bool:
        """On an approved row: keep edits of approved fields in the draft, save the other fields. Returns
        whether the row was approved (and so the save was handled here)."""
        model = type(self)
        approved = model.objects.filter(pk=self.pk, approved_version__isnull=False).first()
        if approved is None:
            return False
        for name in self.APPROVED_FIELDS:  # commit an uploaded file so the draft can name it
            field = self._meta.get_field(name)
            if isinstance(field, models.FileField):
                field.pre_save(self, add=False)
        proposed = {name: dump_field(self, name) for name in self.APPROVED_FIELDS}
        live = {name: dump_field(approved, name) for name in self.APPROVED_FIELDS}
        content_type = ContentType.objects.get_for_model(model)
        previous = None  # the draft's values this save replaces: the files they name may be left unused
        if model.file_fields():
            previous = (
                Draft.objects.filter(content_type=content_type, object_id=self.pk)
                .values_list("data", flat=True)
                .first()
            )
        if proposed != live:
            if previous is not None:
                model.drop_superseded_files(previous, kept=[proposed, live])
            Draft.objects.update_or_create(
                content_type=content_type,
                object_id=self.pk,
                defaults={
                    "data": proposed,
                    "content_hash": self.proposed_hash(),
                    "updated_at": timezone.now(),
                    "updated_by": self._saved_by,
                },
            )
        elif self._saved_by is not None:  # an editor put back the approved values: nothing waits
            if previous is not None:
                model.drop_superseded_files(previous, kept=[live])
            Draft.objects.filter(content_type=content_type, object_id=self.pk).delete()
        self.__dict__.pop("pending_draft", None)
        skip = {*self.APPROVED_FIELDS, *self.DERIVED_FIELDS, "approved_version", *self.shadow_fields()}
        names = [f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in skip]
        if kwargs.get("update_fields") is not None:
            names = [name for name in names if name in set(kwargs["update_fields"])]
        kwargs["update_fields"] = names
        if names:
            self.save_other_fields(**kwargs)
        else:  # nothing but the draft changed: still a revision in the history, and the page cache told
            models.signals.post_save.send(
                sender=model,
                instance=self,
                created=False,
                update_fields=frozenset(),
                raw=False,
                using="default",
            )
        return True

    # Columns computed from the approved fields (the row keeps those of the approved values).
    DERIVED_FIELDS: tuple[str, ...] = ()

    @classmethod
    def file_fields(cls) -> list[str]:
        """The approved fields that store a file (a draft names the file it proposes)."""
        return [
            name for name in cls.APPROVED_FIELDS if isinstance(cls._meta.get_field(name), models.FileField)
        ]

    @classmethod
    def stored_files(cls, values: dict) -> set[str]:
        """The stored files that dumped approved values name (a model whose values name more files, such as a
        person's resized photos, adds them)."""
        return {values.get(name) or "" for name in cls.file_fields()} - {""}

    @classmethod
    def files_in_use(cls, names: set[str]) -> set[str]:
        """Those of ``names`` that a row or a draft of the model names."""
        used = set()
        for field in cls.file_fields():
            used |= set(cls._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
            drafts = drafts_of(cls).filter(**{f"data__{field}__in": sorted(names)})
            used |= set(drafts.values_list(f"data__{field}", flat=True))
        return used

    @classmethod
    def drop_superseded_files(cls, previous: dict, *, kept: list[dict]) -> None:
        """/media/ is public: a file the `previous` values name and none of the `kept` ones do (a draft's file
        that a newer draft or the approved values put back replaced, an approved file a newer approval
        replaced) is deleted once the save commits, unless a row or a draft names it."""
        superseded = cls.stored_files(previous) - set().union(*(cls.stored_files(values) for values in kept))
        if not superseded:
            return

        def delete():
            for name in superseded - cls.files_in_use(superseded):
                default_storage.delete(name)

        transaction.on_commit(delete)

    @classmethod
    def shadow_fields(cls) -> set[str]:
        """Columns that follow approved ones: django-modeltranslation keeps the untranslated column (name)
        beside name_en and name_es."""
        concrete = {field.name for field in cls._meta.concrete_fields}
        bases = {name.rsplit("_", 1)[0] for name in cls.APPROVED_FIELDS if name.endswith(("_en", "_es"))}
        return bases & concrete

    @cached_property
    def pending_draft(self) -> Draft | None:
        if self.pk is None:
            return None
        return Draft.objects.filter(
            content_type=ContentType.objects.get_for_model(self), object_id=self.pk
        ).first()

    @property
    def is_approved(self) -> bool:
        """The row has been approved and no change waits."""
        return self.approved_version_id is not None and self.pending_draft is None

    @property
    def has_unapproved_changes(self) -> bool:
        """Approved, and a change waits for approval (readers see the approved values)."""
        return self.approved_version_id is not None and self.pending_draft is not None

    def proposed(self):
        """A copy of the object as it would be with its waiting change (for staff previews, the admin form
        and the approval screen). Never saved: approving copies the values (articles/approval.py)."""
        copy = type(self).objects.get(pk=self.pk) if self.pk else self
        draft = self.pending_draft
        if draft is not None:
            for name, raw in draft.data.items():
                if name in self.APPROVED_FIELDS:
                    load_field(copy, name, raw)
        copy.__dict__["pending_draft"] = draft
        copy.normalise()
        copy.prepare_proposed()
        return copy

    def replaced_approved(self, before: dict) -> None:
        """Called once approved values have replaced ``before`` (dumped) on the row and the draft is gone.
        /media/ is public: a file only the old values named (a person's photo and its copies, an article's
        social image) is deleted once the approval commits, unless a row or a draft still names it: the
        same rule as for a draft's file that a newer draft replaced (drop_superseded_files)."""
        if self.file_fields():
            now = {name: dump_field(self, name) for name in self.APPROVED_FIELDS}
            self.drop_superseded_files(before, kept=[now])

    def prepare_proposed(self) -> None:
        """Compute what the proposed values render to (an article renders its body)."""

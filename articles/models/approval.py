"""The approval record: an attorney's approval of exactly the values shown, for any kind of approved content
(the mechanism is in articles/models/approved_content.py; articles/approval.py approves)."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models.approved_content import values_hash
from articles.models.people import Person


def approval_hash(*, title, summary, body_html, reviewed_by_id, last_reviewed_on) -> str:
    """sha256 of an article's text as the first approvals hashed it (migration 0011 imports it)."""
    return values_hash(
        {
            "title": title,
            "summary": summary,
            "body_html": body_html,
            "reviewed_by": reviewed_by_id,
            "last_reviewed_on": last_reviewed_on.isoformat() if last_reviewed_on else None,
        }
    )


class ApprovalQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Approval(models.Model):
    """An attorney's approval of exactly the values shown to them for one object (never edited or deleted)."""

    changes_public_pages = True  # an approval puts text live

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    approved_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="approvals",
        null=True,
        blank=True,
        verbose_name="approving attorney",
    )
    # The signed-in user who approved, and the attorney's name as it was then: renaming or relinking the
    # person later does not rewrite who approved.
    approved_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="approving user",
        help_text="Empty for approvals recorded by a migration or the demo loader.",
    )
    approver_name = models.CharField("approved by", max_length=200, blank=True)
    is_self_approval = models.BooleanField(
        "approved by an attorney who edited it",
        default=False,
        help_text="Allowed only with APPROVAL_ALLOW_SELF (a firm with a single attorney).",
    )
    approved_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64, help_text="sha256 of the approved values, as shown.")
    note = models.CharField(max_length=300, blank=True)
    data = models.JSONField("approved values", default=dict, help_text="Exactly what was shown and approved.")

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        get_latest_by = "approved_at"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-approved_at"], name="approval_object_latest")
        ]

    def __str__(self):
        when = timezone.localtime(self.approved_at)
        label = self.data.get("title") or self.data.get("name") or f"{self.content_type} #{self.object_id}"
        return f"{label} — approved by {self.approver_name or self.approved_by} on {when:%Y-%m-%d %H:%M %Z}"

    @property
    def title(self) -> str:
        return self.data.get("title") or self.data.get("name") or ""


class ArticleApprovalManager(models.Manager.from_queryset(ApprovalQuerySet)):
    def get_queryset(self):
        return (
            super().get_queryset().filter(content_type__app_label="articles", content_type__model="article")
        )


class ArticleApproval(Approval):
    """The approvals of articles (the name earlier code and tests use), with the article's approved text."""

    objects = ArticleApprovalManager()

    class Meta:
        proxy = True

    @property
    def article(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)

    summary = property(lambda self: self.data.get("summary", ""))
    body_html = property(lambda self: self.data.get("body_html", ""))
    toc = property(lambda self: self.data.get("toc", []))
    reading_minutes = property(lambda self: self.data.get("reading_minutes", 1))
    reviewed_by_id = property(lambda self: self.data.get("reviewed_by"))
    last_reviewed_on = property(
        lambda self: (
            date.fromisoformat(self.data["last_reviewed_on"]) if self.data.get("last_reviewed_on") else None
        )
    )

    @cached_property
    def reviewed_by(self):
        return Person.objects.filter(pk=self.reviewed_by_id).first() if self.reviewed_by_id else None

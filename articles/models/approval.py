"""An attorney's approval of one exact text of an article (articles/approval.py does the approving)."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.people import Person


def approval_hash(*, title, summary, body_html, reviewed_by_id, last_reviewed_on) -> str:
    """sha256 of the rendered article as readers get it: title, summary, HTML body and the review line.

    A pure function of its arguments (the data migration that introduced approvals uses it too).
    """
    payload = json.dumps(
        {
            "title": title,
            "summary": summary,
            "body_html": body_html,
            "reviewed_by": reviewed_by_id,
            "last_reviewed_on": last_reviewed_on.isoformat() if last_reviewed_on else None,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ArticleApproval(models.Model):
    """An attorney's approval of one exact text of an article, with a copy of that text.

    Readers see the copy held by ``Article.approved_version``; rows are never edited or deleted in the
    admin, so together they record who approved what went live, and when.
    """

    changes_public_pages = True  # an approval can put an article (or a new text) live

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="approvals")
    approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="approvals", verbose_name="approving attorney"
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
    content_hash = models.CharField(
        max_length=64, help_text="sha256 of the approved title, summary, body and review line."
    )
    note = models.CharField(max_length=300, blank=True)
    # The approved text, as readers are shown it.
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    body_html = models.TextField()
    toc = models.JSONField(default=list)
    reading_minutes = models.PositiveSmallIntegerField(default=1)
    reviewed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True)
    last_reviewed_on = models.DateField(null=True)
    text_updated_at = models.DateTimeField(help_text="The article's “updated” time when it was approved.")

    class Meta:
        ordering = ["-approved_at", "-pk"]
        get_latest_by = "approved_at"
        indexes = [models.Index(fields=["article", "-approved_at"], name="approval_article_latest")]

    def __str__(self):
        when = timezone.localtime(self.approved_at)
        return (
            f"{self.title} — approved by {self.approver_name or self.approved_by} on {when:%Y-%m-%d %H:%M %Z}"
        )

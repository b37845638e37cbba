"""The advertising archive's tables (archive/capture.py fills them): dated copies of the public pages.

The tables keep the names they had when the archive lived in the articles app (articles_archive...): the rows
moved with the models (archive/migrations/0001_initial.py)."""

import gzip

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ArchiveState(models.Model):
    """One row: what the advertising archive (archive/capture.py) last captured; locked while capturing,
    so two workers never capture the same change or the same 90-day period twice."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    content_signature = models.CharField(max_length=40, blank=True)
    last_periodic_at = models.DateTimeField(null=True, blank=True)
    # After a failed capture the worker tries again, waiting longer after each failure in a row.
    failures = models.PositiveIntegerField(default=0, help_text="Failed captures in a row.")
    retry_at = models.DateTimeField(null=True, blank=True, help_text="No automatic capture before this.")

    class Meta:
        db_table = "articles_archivestate"
        constraints = [models.CheckConstraint(name="archivestate_single_row", condition=Q(id=1))]

    def __str__(self):
        return "advertising archive state"


class ArchiveRun(models.Model):
    """One capture of the whole public site: when, why, and every page it saw (ArchiveRunPage)."""

    class Trigger(models.TextChoices):
        CHANGE = "change", "Content changed or went live"
        COMMAND = "command", "By hand (archive_site)"
        PERIODIC = "periodic", "Periodic (90 days)"

    class Status(models.TextChoices):
        DONE = "done", "Done: every page captured"
        FAILED = "failed", "Failed: some pages did not answer"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger)
    reason = models.CharField(max_length=200)
    page_count = models.PositiveIntegerField(default=0)
    stored_count = models.PositiveIntegerField(
        default=0, help_text="Pages that differed from their latest copy."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DONE)
    error = models.TextField(
        blank=True, help_text="For a failed run: the pages that did not answer, and how."
    )
    manifest_sha256 = models.CharField(
        "manifest sha256",
        max_length=64,
        blank=True,
        help_text="sha256 of this run's manifest (its pages and their sha256), as written into every export.",
    )

    class Meta:
        db_table = "articles_archiverun"
        ordering = ["-started_at", "-pk"]
        verbose_name = "archive run"

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%Y-%m-%d %H:%M %Z}: {self.reason}"


class ArchiveCapture(models.Model):
    """A dated copy of one public page as visitors saw it: gzip-compressed HTML with its sha256.

    A page identical to the latest copy of its address is not stored again; the run points at that copy.
    """

    run = models.ForeignKey(ArchiveRun, on_delete=models.SET_NULL, null=True, related_name="captures")
    url = models.CharField(max_length=500)
    captured_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    html_gzip = models.BinaryField()
    size = models.PositiveIntegerField(help_text="Bytes of HTML before compression.")
    approved_by = models.CharField(
        "approving attorney",
        max_length=200,
        blank=True,
        help_text="For an article: who approved the text shown.",
    )

    class Meta:
        db_table = "articles_archivecapture"
        ordering = ["-captured_at", "url"]
        verbose_name = "archived page"
        indexes = [models.Index(fields=["url", "-captured_at"], name="archive_url_latest")]

    def __str__(self):
        return f"{self.url} at {timezone.localtime(self.captured_at):%Y-%m-%d %H:%M %Z}"

    def html(self) -> bytes:
        return gzip.decompress(bytes(self.html_gzip))


class ArchiveRunPage(models.Model):
    run = models.ForeignKey(ArchiveRun, on_delete=models.CASCADE, related_name="pages")
    capture = models.ForeignKey(ArchiveCapture, on_delete=models.PROTECT, related_name="run_pages")
    url = models.CharField(max_length=500)

    class Meta:
        db_table = "articles_archiverunpage"
        ordering = ["url"]
        constraints = [models.UniqueConstraint(fields=["run", "url"], name="archive_run_page_once")]

    def __str__(self):
        return self.url

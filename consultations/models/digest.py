"""The morning digest's one row per day (consultations/digest.py)."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone


class DigestRun(models.Model):
    """One morning digest per New York date (consultations/digest.py). The unique date is what makes it once a
    day: with several workers, the first insert wins and the others find the row."""

    date = models.DateField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Open requests when it was queued; 0 means nothing was open and no email was sent that day.
    open_requests = models.PositiveIntegerField(default=0)
    emails = GenericRelation("outbox.OutboundEmail", related_query_name="digest_run")

    class Meta:
        ordering = ["-date"]
        verbose_name = "morning digest"

    def __str__(self):
        return f"Digest for {self.date:%a %b %-d, %Y}"

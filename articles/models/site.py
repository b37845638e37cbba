"""State shared by every app server: the page cache's content version (articles/page_cache.py)."""

from django.db import models


class ContentState(models.Model):
    """One row, shared by every app server: the page cache's content version and upcoming publication times.

    Any edit to a model marked ``changes_public_pages`` bumps ``version`` (articles/page_cache.py), so every
    worker stops using pages rendered before it. ``upcoming`` lists the times scheduled articles go live,
    so a page cached before such a time is not served after it, with no cron and no write on GET.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=1)
    upcoming = models.JSONField(default=list, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(name="contentstate_single_row", condition=models.Q(id=1))]

    def __str__(self):
        return f"content version {self.version}"

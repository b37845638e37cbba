"""The email outbox's rows (consultations/outbox.py runs the worker)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from consultations.models.digest import DigestRun
from consultations.models.requests import ConsultationRequest


class OutboundEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(state=OutboundEmail.State.FAILED)

    def due(self, now, *, claim_timeout: timedelta):
        """Pending rows whose time has come, and claims a crashed worker never finished."""
        return self.filter(
            Q(state=OutboundEmail.State.PENDING, next_attempt_at__lte=now)
            | Q(state=OutboundEmail.State.SENDING, claimed_at__lt=now - claim_timeout)
        )


class OutboundEmail(models.Model):
    """One email in the outbox. The worker (consultations/outbox.py) owns the state machine."""

    class Kind(models.TextChoices):
        FIRM = "firm", "New request, to the firm"
        VISITOR = "visitor", "Confirmation, to the visitor"
        ALERT = "alert", "Delivery failure alert, to staff"
        DIGEST = "digest", "Morning digest, to intake"
        ASSIGNMENT = "assignment", "Assignment, to the assignee"
        APPROVAL = "approval", "Article awaiting approval, to the attorneys"
        REVIEW = "review", "Legal review due, to the reviewing attorney"

    ARTICLE_KINDS = (Kind.APPROVAL, Kind.REVIEW)

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"

    kind = models.CharField(max_length=10, choices=Kind)
    consultation = models.ForeignKey(
        ConsultationRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    # For alerts: the email that failed.
    about = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    # For the morning digest: its day.
    digest_run = models.ForeignKey(
        DigestRun, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    # For an assignment: the staff member told (their address is read when the email is built).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_emails",
    )
    # For emails about an article (approval requests, review reminders; consultations/site_jobs.py).
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Makes a periodic job's email unique ("approval:<article>:<text hash>", "review:<article>:<date>:<week>"),
    # so several workers, or the same job run twice, queue it once.
    dedupe_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "email"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        constraints = [
            models.CheckConstraint(
                name="outbox_sent_has_time", condition=~Q(state="sent") | Q(sent_at__isnull=False)
            ),
            models.CheckConstraint(
                name="outbox_alert_has_subject",
                condition=~Q(kind="alert") | Q(about__isnull=False),
            ),
            # v3: alerts, the morning digest and the article emails are about no single request; every other
            # email is.
            models.CheckConstraint(
                name="outbox_request_email_has_request_v3",
                condition=Q(kind__in=["alert", "digest", "approval", "review"])
                | Q(consultation__isnull=False),
            ),
            models.CheckConstraint(
                name="outbox_article_email_has_article",
                condition=~Q(kind__in=["approval", "review"]) | Q(article__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="outbox_dedupe_key_once"
            ),
            models.CheckConstraint(
                name="outbox_digest_has_run", condition=~Q(kind="digest") | Q(digest_run__isnull=False)
            ),
            models.CheckConstraint(
                name="outbox_assignment_has_recipient",
                condition=~Q(kind="assignment") | Q(recipient__isnull=False),
            ),
            # One notification of each kind per request, so a retry or double click cannot queue a second;
            # v2: except assignments, one per change of assignee.
            models.UniqueConstraint(
                fields=["consultation", "kind"],
                condition=Q(consultation__isnull=False) & ~Q(kind="assignment"),
                name="outbox_one_per_request_kind_v2",
            ),
            models.UniqueConstraint(
                fields=["digest_run"], condition=Q(digest_run__isnull=False), name="outbox_one_per_digest"
            ),
            models.UniqueConstraint(
                fields=["about"], condition=Q(about__isnull=False), name="outbox_one_alert_per_email"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @classmethod
    def queued_now(cls) -> dict:
        """Field values that put an email (back) in the queue for an immediate attempt with a fresh count."""
        return {
            "state": cls.State.PENDING,
            "attempts": 0,
            "next_attempt_at": timezone.now(),
            "last_error": "",
            "claimed_at": None,
        }

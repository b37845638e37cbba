"""The outbox: one row per email to send, written in the same transaction as whatever caused it.

The row holds no text. It names a kind (registered by the app that sends it, outbox/kinds.py) and links to what
the email is about (any model, through a generic link); the message is built from current data when it is sent
(outbox/sending.py). The worker (outbox/worker.py) owns the state machine: pending -> sending -> sent, back to
pending with a later next_attempt_at, or failed (which queues one alert). A row in "sending" is held under a lease
(lease_until) that its worker renews while it works (outbox/lease.py); a lease that runs out means the worker is
gone, and the row is due again.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from outbox import kinds


class OutboundEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(state=OutboundEmail.State.FAILED)

    def due(self, now):
        """Pending rows whose time has come, and rows whose worker stopped renewing its lease (it crashed or was
        killed mid-batch)."""
        return self.filter(
            Q(state=OutboundEmail.State.PENDING, next_attempt_at__lte=now)
            | Q(state=OutboundEmail.State.SENDING, lease_until__lt=now)
        )

    def about(self, obj):
        """The emails linked to this object (a request, an article, a digest day, ...)."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class OutboundEmail(models.Model):
    """One email in the outbox."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"

    # A name registered with outbox.kinds.register() by the app that sends this kind ("firm", "approval", ...).
    kind = models.CharField(max_length=40)
    # What the email is about: a consultation request, an article, a digest day... (any model).
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    # For alerts: the email that failed.
    about = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    # A staff member the email is addressed to (their address is read when the email is built), e.g. an
    # assignment.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_emails",
    )
    # Makes an email unique ("firm:<request>", "digest:<date>", "approval:<article>:<text hash>", ...), so a
    # retry, a double click, several workers or the same job run twice queue it once.
    dedupe_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a worker claimed the row (it also names the claim: an outcome is written only under the same claim),
    # and until when its lease runs; the worker renews the lease every few seconds while it works.
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        # The table it has had since the outbox lived in consultations/ (its rows moved with it).
        db_table = "consultations_outboundemail"
        ordering = ["created_at", "pk"]
        verbose_name = "email"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_source"),
        ]
        constraints = [
            models.CheckConstraint(
                name="outbox_sent_has_time", condition=~Q(state="sent") | Q(sent_at__isnull=False)
            ),
            models.CheckConstraint(
                name="outbox_alert_has_subject",
                condition=~Q(kind="alert") | Q(about__isnull=False),
            ),
            models.CheckConstraint(
                name="outbox_source_complete",
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="outbox_dedupe_key_once"
            ),
            models.UniqueConstraint(
                fields=["about"], condition=Q(about__isnull=False), name="outbox_one_alert_per_email"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)

    @classmethod
    def queued_now(cls) -> dict:
        """Field values that put an email (back) in the queue for an immediate attempt with a fresh count."""
        return {
            "state": cls.State.PENDING,
            "attempts": 0,
            "next_attempt_at": timezone.now(),
            "last_error": "",
            "claimed_at": None,
            "lease_until": None,
        }


class WorkerHeartbeat(models.Model):
    """When a host's outbox worker last went round its loop (outbox/heartbeat.py); /healthz reads it."""

    name = models.CharField(max_length=100, unique=True, help_text="The worker's host name.")
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"

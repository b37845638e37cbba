"""A consultation request: what the visitor sent, its triage state and the flags computed on save."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import limits
from articles.i18n import Language
from articles.models import PracticeArea
from consultations import deadlines
from consultations import urgency as urgency_rules
from consultations.business_days import one_business_day_before

# The form's last "What is it about?" choice, stored as no practice area.
OTHER_PRACTICE_AREA = "Something else, or not sure"


class ConsultationRequestQuerySet(models.QuerySet):
    def new(self):
        return self.filter(status=ConsultationRequest.Status.NEW)

    def overdue(self, now=None):
        """New requests nobody has touched for more than one business day."""
        return self.new().filter(received_at__lt=one_business_day_before(now or timezone.now()))

    def open(self):
        return self.exclude(status__in=ConsultationRequest.CLOSED_STATUSES)

    def with_urgency(self, now=None, rules=None):
        """Annotate, in SQL, the request list's urgency (consultations/urgency.py): `next_deadline` (the
        earliest estimated deadline not yet passed), `next_rule` (its rule's key), `is_overdue` and
        `urgency_rank` (0 deadline-critical, 1 overdue, 2 new, 3 in progress, 4 closed), so the list sorts and
        paginates in the database. `rules` defaults to the time-limits table as intake sees it (one query)."""
        return urgency_rules.annotate(
            self, now=now or timezone.now(), rules=deadlines.intake_rules() if rules is None else rules
        )

    def by_urgency(self, now=None, rules=None):
        """Most urgent first: by rank, then the nearest deadline, then the oldest."""
        return self.with_urgency(now, rules).order_by(
            "urgency_rank", models.F("next_deadline").asc(nulls_last=True), "received_at", "pk"
        )

    def recent_from(self, ip_hash: str, *, since):
        return self.filter(ip_hash=ip_hash, received_at__gte=since)

    def purgeable(self, *, closed_before):
        """Closed requests we did not take on, past the retention limit and not yet purged.

        Retained clients are excluded: their details move to the client file, which has its own policy.
        """
        return self.filter(
            status__in=ConsultationRequest.PURGEABLE_STATUSES,
            closed_at__lt=closed_before,
            purged_at__isnull=True,
        )


class ConsultationRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CONFLICT_CHECK = "conflict_check", "Conflict check"
        BOOKED = "booked", "Consultation booked"
        RETAINED = "retained", "Retained"
        DECLINED = "declined", "Declined"
        REFERRED = "referred", "Referred elsewhere"
        SPAM = "spam", "Spam"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("Email")
        EITHER = "either", _("Either is fine")

    class BestTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning (9am to noon)")
        AFTERNOON = "afternoon", _("Afternoon (noon to 5pm)")
        EVENING = "evening", _("Early evening (5pm to 8pm)")

    class SpamReason(models.TextChoices):
        NONE = "", "Not spam"
        HONEYPOT = "honeypot", "Filled the hidden field"
        TOO_FAST = "too_fast", "Sent faster than a person can type"
        BAD_TOKEN = "bad_token", "Form timer missing or altered"
        REUSED_TOKEN = "reused_token", "Form sent again with a timer already used"
        STAFF = "staff", "Marked as spam by staff"

    CLOSED_STATUSES = (Status.RETAINED, Status.DECLINED, Status.REFERRED, Status.SPAM)
    PURGEABLE_STATUSES = (Status.DECLINED, Status.REFERRED, Status.SPAM)
    # Which status may follow which; staff can reopen a closed request by moving it back to "contacted".
    TRANSITIONS = {
        Status.NEW: {Status.CONTACTED, Status.CONFLICT_CHECK, Status.DECLINED, Status.REFERRED, Status.SPAM},
        Status.CONTACTED: {
            Status.CONFLICT_CHECK,
            Status.BOOKED,
            Status.DECLINED,
            Status.REFERRED,
            Status.SPAM,
        },
        Status.CONFLICT_CHECK: {Status.CONTACTED, Status.BOOKED, Status.DECLINED, Status.REFERRED},
        Status.BOOKED: {Status.CONTACTED, Status.RETAINED, Status.DECLINED, Status.REFERRED},
        Status.RETAINED: {Status.CONTACTED},
        Status.DECLINED: {Status.CONTACTED},
        Status.REFERRED: {Status.CONTACTED},
        Status.SPAM: {Status.NEW},
    }
    # What the visitor told us.
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_method = models.CharField(max_length=10, choices=ContactMethod, default=ContactMethod.PHONE)
    best_time = models.CharField(max_length=10, choices=BestTime, default=BestTime.ANY)
    # What happened and who may be responsible, as the visitor answered (the time-limits table's terms,
    # articles/limits.py): they decide which deadlines may apply. An empty `what` (requests sent before the
    # form asked) means every kind may apply.
    what = models.CharField("what happened", max_length=10, choices=limits.WHAT_CHOICES, blank=True)
    who = models.CharField(
        "who may be responsible", max_length=16, choices=limits.WHO_CHOICES, default=limits.UNSURE
    )
    # The firm's practice area (articles.PracticeArea) the request belongs to, worked out from what happened
    # and who may be responsible (consultations/forms.py); none means "Something else, or not sure". The
    # label keeps the name it had then, even if the area is renamed.
    practice_area = models.ForeignKey(
        PracticeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
    )
    practice_area_label = models.CharField("practice area (as chosen)", max_length=100, editable=False)
    what_happened = models.CharField(max_length=3000, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    other_parties = models.CharField(max_length=500, blank=True)
    disclaimer_version = models.CharField(max_length=20)
    source_article_slug = models.SlugField(max_length=200, blank=True)
    # The language of the form the visitor filled in: their confirmation email is written in it, and the
    # firm's notice says "Prefers Spanish".
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)

    # Request metadata.
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    spam_reason = models.CharField(max_length=12, choices=SpamReason, blank=True)
    # The id of the form's timer token (consultations/forms.py): one showing of the form sends one request.
    form_token_id = models.CharField(max_length=32, blank=True, editable=False)

    # Triage.
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_consultations",
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Flags computed on save from the time-limits table (compute_flags).
    is_notice_of_claim_risk = models.BooleanField("short deadline may apply", default=False, editable=False)
    is_limitation_close = models.BooleanField("deadline close or passed", default=False, editable=False)
    is_missing_callback = models.BooleanField("missing callback details", default=False, editable=False)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Its emails in the outbox (outbox/): deleted with the request; OutboundEmail.objects.filter(consultation=...).
    emails = GenericRelation("outbox.OutboundEmail", related_query_name="consultation")

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "consultation request"
        permissions = [("export_consultationrequest", "Can export consultation requests as CSV")]
        indexes = [
            models.Index(fields=["ip_hash", "received_at"], name="consult_ip_recent"),
            models.Index(fields=["status", "received_at"], name="consult_status_received"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["form_token_id"], condition=~Q(form_token_id=""), name="consult_form_token_used_once"
            ),
            models.CheckConstraint(
                name="consult_status_valid",
                condition=Q(
                    status__in=[
                        "new",
                        "contacted",
                        "conflict_check",
                        "booked",
                        "retained",
                        "declined",
                        "referred",
                        "spam",
                    ]
                ),
            ),
            models.CheckConstraint(
                name="consult_closed_has_time",
                condition=~Q(status__in=["retained", "declined", "referred", "spam"])
                | Q(closed_at__isnull=False),
            ),
            models.CheckConstraint(name="consult_language_valid", condition=Q(language__in=["en", "es"])),
            models.CheckConstraint(
                name="consult_spam_has_reason", condition=~Q(status="spam") | ~Q(spam_reason="")
            ),
            # Before a purge there must be a way to reach the visitor; the form asks for it.
            models.CheckConstraint(
                name="consult_has_contact",
                condition=Q(purged_at__isnull=False) | ~Q(email="") | ~Q(phone=""),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def save(self, **kwargs):
        if not self.practice_area_label:
            self.practice_area_label = (
                self.practice_area.name_en if self.practice_area else OTHER_PRACTICE_AREA
            )
        self.compute_flags()
        if self.status in self.CLOSED_STATUSES:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        if self.status == self.Status.SPAM and not self.spam_reason:
            self.spam_reason = self.SpamReason.STAFF
        elif self.status != self.Status.SPAM:
            self.spam_reason = ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "closed_at",
                "spam_reason",
                "is_notice_of_claim_risk",
                "is_limitation_close",
                "is_missing_callback",
            }
        super().save(**kwargs)

    def clean(self):
        previous = None
        if self.pk:
            previous = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if self.status not in self.allowed_statuses(previous):
            raise ValidationError(
                {
                    "status": f"A request cannot move from “{self.Status(previous).label}” "
                    f"to “{self.Status(self.status).label}”."
                }
            )

    @property
    def number(self) -> str:
        """The request number staff and visitors quote; it carries no personal data."""
        return f"R-{self.pk:06d}" if self.pk else "R-(unsaved)"

    def get_admin_url(self) -> str:
        return reverse("admin:consultations_consultationrequest_change", args=[self.pk])

    @property
    def reply_by(self) -> str:
        """How the firm will answer, as the visitor chose and could be reached: "phone", "email" or "either"
        ("either" with only one way given means that one). The thanks page and the confirmation say so."""
        if self.contact_method == self.ContactMethod.PHONE or not self.email:
            return self.ContactMethod.PHONE.value
        if self.contact_method == self.ContactMethod.EMAIL or not self.phone:
            return self.ContactMethod.EMAIL.value
        return self.ContactMethod.EITHER.value

    # (flag field, short label for the admin list, full label for the detail page and the firm's email)
    FLAG_LABELS = (
        (
            "is_notice_of_claim_risk",
            "short deadline",
            f"A deadline of {limits.SHORT_RULE_DAYS} days or less may apply (see the estimates)",
        ),
        (
            "is_limitation_close",
            "deadline close",
            f"An estimated deadline is within {deadlines.SOON_DAYS} days, or has passed",
        ),
        ("is_missing_callback", "missing contact", "Missing callback details for the way they chose"),
    )

    @property
    def flags(self) -> list[str]:
        return [full for field, _, full in self.FLAG_LABELS if getattr(self, field)]

    @property
    def short_flags(self) -> list[str]:
        return [short for field, short, _ in self.FLAG_LABELS if getattr(self, field)]

    def allowed_statuses(self, previous: str | None) -> set[str]:
        if previous is None:
            return {value for value, _ in self.Status.choices}
        return {previous, *self.TRANSITIONS.get(previous, set())}

    def urgency(self, now=None, rules=None) -> urgency_rules.Urgency:
        """How urgent this request is, in words (consultations/urgency.py)."""
        return urgency_rules.assess(self, now=now, rules=rules)

    def deadline_estimates(self, today: date | None = None, rules=None) -> list[deadlines.Estimate]:
        """Every dated deadline that may apply, earliest first (empty when the incident date is unknown),
        from the time-limits table as intake sees it."""
        return deadlines.estimates(
            deadlines.intake_rules() if rules is None else rules,
            what=self.what,
            who=self.who,
            incident_date=self.incident_date,
            today=today or timezone.localdate(),
        )

    def visitor_notices(self, today: date | None = None) -> list[deadlines.Estimate]:
        """The short deadlines (90 days or less) the visitor is told about on the thanks page and in their
        confirmation email, earliest first, dated when they gave the incident date: public rules only, as
        readers see them."""
        short = [rule for rule in deadlines.dated(deadlines.public_rules()) if rule.is_short]
        return limits.estimates(
            short,
            what=self.what or None,
            who=self.who,
            incident=self.incident_date,
            today=today or timezone.localdate(),
        )

    def compute_flags(self, today: date | None = None, rules=None) -> None:
        today = today or timezone.localdate()
        rules = deadlines.dated(deadlines.intake_rules() if rules is None else rules)
        self.is_notice_of_claim_risk = any(
            rule.is_short and rule.applies(what=self.what or None, who=self.who) for rule in rules
        )
        found = deadlines.estimates(
            rules, what=self.what, who=self.who, incident_date=self.incident_date, today=today
        )
        self.is_limitation_close = any(
            estimate.has_passed or estimate.days_left <= deadlines.SOON_DAYS for estimate in found
        )
        # It follows the visitor's choice: an email-only request that gave only an email is complete.
        self.is_missing_callback = self.purged_at is None and not self.can_reply_as_asked

    @property
    def can_reply_as_asked(self) -> bool:
        """Whether we hold what the chosen way of contact needs: a phone for a call, an email for email,
        either one for "either"."""
        if self.contact_method == self.ContactMethod.PHONE:
            return bool(self.phone)
        if self.contact_method == self.ContactMethod.EMAIL:
            return bool(self.email)
        return bool(self.phone or self.email)

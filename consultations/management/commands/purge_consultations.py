import logging
from datetime import timedelta

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationRequest, InternalNote
from outbox.models import OutboundEmail

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Erase the description, contact details, notes and address hash of requests that were declined, "
        "referred or marked spam more than N days ago, keeping a conflict-check stub (names, other "
        "parties, dates, outcome). Retained clients are left alone. Schedule it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="Days since the request was closed (default CONSULTATION_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be purged.")

    def handle(self, *args, older_than_days=None, dry_run=False, **options):
        days = settings.CONSULTATION_RETENTION_DAYS if older_than_days is None else older_than_days
        if days < 0:
            raise CommandError("--older-than-days must be 0 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            purgeable = ConsultationRequest.objects.purgeable(closed_before=cutoff).select_for_update()
            ids = list(purgeable.values_list("pk", flat=True))
            notes = InternalNote.objects.filter(consultation__in=ids)
            if dry_run:
                summary = f"would purge {len(ids)} request(s) and {notes.count()} note(s) closed before {cutoff:%Y-%m-%d}"
            else:
                deleted_notes, _ = notes.delete()
                ConsultationRequest.objects.filter(pk__in=ids).update(
                    email="",
                    phone="",
                    what_happened="",
                    ip_hash="",
                    user_agent="",
                    is_missing_callback=False,
                    purged_at=timezone.now(),
                )
                # Delivery errors can quote an address; the rows stay as a record that emails went out.
                OutboundEmail.objects.filter(consultation__in=ids).update(last_error="")
                summary = f"purged {len(ids)} request(s) and {deleted_notes} note(s) closed before {cutoff:%Y-%m-%d}"
        logger.info("purge_consultations: %s", summary)  # counts only, never names
        self.stdout.write(summary)

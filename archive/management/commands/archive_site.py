from django.core.management import BaseCommand, CommandError

from archive.capture import capture_site
from archive.models import ArchiveRun


class Command(BaseCommand):
    help = (
        "Capture every public page of every language into the advertising archive now (e.g. at launch). "
        "Exits non-zero, naming the pages, when any page does not answer 200."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason", required=True, help='Why, in a few words, e.g. "Launch" or "New disclaimer wording".'
        )

    def handle(self, *args, reason, **options):
        reason = " ".join(reason.split())[:200]
        run = capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason=reason or "Captured by hand")
        if run.status == ArchiveRun.Status.FAILED:
            raise CommandError(
                f"Archive run {run.pk} FAILED: {run.error}. The {run.page_count} pages that answered were "
                "stored; fix the pages named and run this again."
            )
        self.stdout.write(
            f"Archive run {run.pk}: {run.page_count} pages captured, {run.stored_count} new copies stored "
            f"(unchanged pages point at their earlier copy).\nManifest sha256: {run.manifest_sha256}"
        )

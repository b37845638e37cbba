from django.core.management import BaseCommand

from articles.archive import capture_site
from articles.models import ArchiveRun


class Command(BaseCommand):
    help = "Capture every public page into the advertising archive now (e.g. at launch)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason", required=True, help='Why, in a few words, e.g. "Launch" or "New disclaimer wording".'
        )

    def handle(self, *args, reason, **options):
        reason = " ".join(reason.split())[:200]
        run = capture_site(trigger=ArchiveRun.Trigger.COMMAND, reason=reason or "Captured by hand")
        self.stdout.write(
            f"Archive: {run.page_count} pages captured, {run.stored_count} new copies stored "
            f"(unchanged pages point at their earlier copy)."
        )

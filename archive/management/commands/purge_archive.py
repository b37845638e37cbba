from django.conf import settings
from django.core.management import BaseCommand

from archive.capture import purge_expired


class Command(BaseCommand):
    help = "Delete advertising-archive captures older than ARCHIVE_RETENTION_DAYS (the worker does this too)."

    def handle(self, *args, **options):
        runs, captures = purge_expired()
        self.stdout.write(
            f"Archive: removed {runs} capture runs and {captures} page copies older than "
            f"{settings.ARCHIVE_RETENTION_DAYS} days."
        )

from django.core.management import BaseCommand

from outbox import jobs


class Command(BaseCommand):
    help = (
        "Run the outbox worker's periodic jobs once (settings.OUTBOX_JOBS): the morning digest when due, "
        "approval requests and review reminders to attorneys (queued in the outbox), and the advertising "
        "archive's captures and purge."
    )

    def handle(self, *args, **options):
        jobs.run_all()
        self.stdout.write("Site jobs done.")

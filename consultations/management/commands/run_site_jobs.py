from django.core.management import BaseCommand

from consultations.site_jobs import run_site_jobs


class Command(BaseCommand):
    help = (
        "Run the worker's periodic jobs once: approval requests and review reminders to attorneys (queued in "
        "the outbox), and the advertising archive's captures and purge."
    )

    def handle(self, *args, **options):
        run_site_jobs()
        self.stdout.write("Site jobs done.")

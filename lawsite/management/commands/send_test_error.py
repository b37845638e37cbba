from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class SentryTestError(Exception):
    """Raised on purpose by `manage.py send_test_error`."""


class Command(BaseCommand):
    help = (
        "Send one test event to the error-reporting service named by SENTRY_DSN, to check the wiring "
        "(lawsite/error_reporting.py). Exits with an error when SENTRY_DSN is empty or invalid."
    )

    def handle(self, *args, **options):
        if not settings.SENTRY_DSN:
            raise CommandError("SENTRY_DSN is empty: error reporting is off, so there is nothing to test.")
        import sentry_sdk

        client = sentry_sdk.get_client()
        if not client.is_active():
            raise CommandError("SENTRY_DSN is set but error reporting did not start: run `manage.py check`.")
        try:
            raise SentryTestError("lawsite test error, sent by manage.py send_test_error")  # noqa: TRY301
        except SentryTestError as exc:
            event_id = sentry_sdk.capture_exception(exc)
        sentry_sdk.flush(timeout=10)
        self.stdout.write(
            f"Sent test event {event_id} (release {client.options['release']}, environment "
            f"{client.options['environment']}). Look for SentryTestError in the project's issues."
        )

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Durable email delivery for the whole site (see outbox/models.py). Imports no other app of the project."""

    name = "outbox"
    verbose_name = "Email delivery"

    def ready(self):
        from outbox import alerts, checks  # noqa: F401 (checks registers the system check)

        alerts.register_alert_kind()

import socket

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Email FIRM_ALERT_EMAILS that a service stopped (deploy/systemd/lawsite-notify@.service runs it when "
        "a lawsite unit fails). Sent straight to the mail server, not through the outbox: the database may be "
        "what failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", required=True, help="the systemd unit that failed, e.g. lawsite-backup.service"
        )

    def handle(self, *args, unit, **options):
        host = socket.gethostname()
        when = timezone.localtime().strftime("%B %-d, %Y at %-I:%M %p %Z")  # New York time
        body = (
            f"{unit} failed on {host} ({when}).\n\n"
            "systemd gave up on it: it is not running (or its last run, for the backup, did not finish).\n"
            "To see why, on that server:\n\n"
            f"    systemctl status {unit}\n"
            f"    journalctl -u {unit} -n 100\n\n"
            f"When the cause is fixed: systemctl reset-failed {unit} && systemctl start {unit}\n"
            'README "Deploying" and "Backups" say what each service does.\n'
        )
        send_mail(
            f"[{settings.FIRM['name']} website] {unit} failed on {host}",
            body,
            None,
            settings.FIRM_ALERT_EMAILS,
        )
        self.stdout.write(
            f"send_alert: told {len(settings.FIRM_ALERT_EMAILS)} address(es) that {unit} failed"
        )

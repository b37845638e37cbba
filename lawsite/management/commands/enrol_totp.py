import io

import qrcode
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Give a member of staff a new authenticator-app (TOTP) device and print its QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace", action="store_true", help="remove the user's existing TOTP devices (a lost phone)"
        )

    @transaction.atomic
    def handle(self, *args, username, replace, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff user called {username!r}.")
        existing = TOTPDevice.objects.devices_for_user(user)
        if existing.exists() and not replace:
            raise CommandError(
                f"{username} already has an authenticator; use --replace if the phone was lost."
            )
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        qr = qrcode.QRCode(border=2)
        qr.add_data(device.config_url)
        buffer = io.StringIO()
        qr.print_ascii(out=buffer, invert=True)
        self.stdout.write(buffer.getvalue())
        self.stdout.write(f"Scan this with an authenticator app, or enter this address: {device.config_url}")

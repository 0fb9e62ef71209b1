"""Give a staff member a TOTP device from the command line.

    manage.py add_totp_device USERNAME [--name phone]

Production requires a second factor for staff (DJANGO_ADMIN_REQUIRE_OTP, on by
default), so the first superuser cannot reach the admin's "TOTP devices" page to
enrol one: this makes the device and prints what an authenticator app scans (a
QR code and the otpauth:// address). Print it only on a terminal nobody else reads.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Add a TOTP device for a staff member and print its QR code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="device name")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()._default_manager
        try:
            user = users.get_by_natural_key(options["username"])
        except users.model.DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        if not user.is_staff:
            raise CommandError(f"{user.get_username()} is not staff")
        device = TOTPDevice.objects.create(
            user=user, name=options["name"], confirmed=True
        )
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        picture = io.StringIO()
        code.print_ascii(out=picture)
        self.stdout.write(picture.getvalue())
        self.stdout.write(device.config_url)
        self.stdout.write(
            f"Device {device.name!r} added for {user.get_username()}: scan the code "
            "(or enter the address) in an authenticator app, then log in with its "
            "six digits."
        )

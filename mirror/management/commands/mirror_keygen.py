"""Make a new key pair for signing the static mirror.

    manage.py mirror_keygen

Prints the private key as the line to put in the environment, and its public
key: both base64 of the raw 32-byte Ed25519 key (docs/mirrors.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mirror.signing import private_key_new, public_key_of


class Command(BaseCommand):
    help = "Print a new Ed25519 key pair for signing mirrors (base64, raw 32 bytes)."

    def handle(self, *args: Any, **options: Any) -> None:
        private = private_key_new()
        self.stdout.write(f"MIRROR_SIGNING_KEY={private}")
        self.stdout.write(
            f"# public key (base64 of the raw 32-byte Ed25519 key): "
            f"{public_key_of(private)}"
        )

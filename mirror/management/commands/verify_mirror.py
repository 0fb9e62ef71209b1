"""Check that a copy of the mirror is the one the site signed, whole.

    manage.py verify_mirror DIR [--key PUBLICKEY]

The key is --key, else the site's own (MIRROR_PUBLIC_KEY, or the public key of
MIRROR_SIGNING_KEY). One line per problem, the last one a summary; exits 1 on
any problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mirror.manifest import mirror_check
from mirror.signing import BadKey, public_key


class Command(BaseCommand):
    help = "Check a mirror's signature and every file against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--key", default="", help="the public key, base64")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["key"] or settings.MIRROR_PUBLIC_KEY
        if not key:
            raise CommandError(
                "no public key: pass --key or set MIRROR_PUBLIC_KEY (or "
                "MIRROR_SIGNING_KEY)"
            )
        try:
            public_key(key)
        except BadKey as exc:
            raise CommandError(f"--key: {exc}") from None
        directory = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        check = mirror_check(root=directory, public_key=key)
        if check.problems:
            for line in check.problems:
                self.stderr.write(line)
            raise CommandError(
                f"NOT verified: {len(check.problems)} problem(s) in {directory}"
            )
        self.stdout.write(
            f"verified: {check.files} files in {directory}, signed by {key}, "
            f"made {check.made_at}"
        )

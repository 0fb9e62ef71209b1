"""Write a complete signed static copy of the site into a folder.

    manage.py export_mirror DIR

DIR is replaced whole once the new copy is written and signed (MIRROR_SIGNING_KEY);
a folder that is not a mirror is never replaced. What a mirror holds and how to
publish it: docs/mirrors.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from exitwatch.lib.jobs import new_owner
from mirror.render import ExportFailed
from mirror.services import mirror_export


class Command(BaseCommand):
    help = "Export a signed static mirror of the site into DIR (replaced whole)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MIRROR_SIGNING_KEY:
            raise CommandError(
                "MIRROR_SIGNING_KEY is not set: make one with manage.py mirror_keygen"
            )
        try:
            done = mirror_export(
                directory=options["directory"],
                signing_key=settings.MIRROR_SIGNING_KEY,
                site_url=settings.SITE_URL,
                owner=new_owner("export_mirror"),
            )
        except ExportFailed as exc:
            raise CommandError(f"mirror not exported: {exc}") from None
        if done.status == "busy":
            raise CommandError("another mirror export is running: try again later")
        self.stdout.write(
            f"{done.files} files ({done.bytes / 1e6:.1f} MB) in "
            f"{options['directory']}, signed, made in {done.seconds:.1f} s"
        )

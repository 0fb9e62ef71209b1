"""Fetch Rosgranstroy's checkpoint list now, in this process, and record it.

    manage.py refresh_checkpoints

What the workers do every ROSGRANSTROY_REFRESH_MINUTES. Exits non-zero if the
list could not be fetched or read.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from exitwatch.lib.jobs import JobStoreUnavailable, new_owner
from routes.checkpoints.refresh import official_list_refresh


class Command(BaseCommand):
    help = "Fetch the official checkpoint list now and record what changed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = official_list_refresh(run_id=new_owner("refresh_checkpoints"))
        except JobStoreUnavailable as exc:
            raise CommandError(str(exc)) from None
        if outcome.status == "failed" or outcome.error:
            raise CommandError(outcome.summary())
        self.stdout.write(outcome.summary())

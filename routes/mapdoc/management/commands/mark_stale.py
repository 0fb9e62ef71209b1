"""Re-check which crossings are stale and refresh the map if that set changed.

    manage.py mark_stale

Staleness is derived from each crossing's last observation and its threshold;
this never edits a crossing or its history, it only bumps the map snapshot.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from routes.mapdoc.staleness import crossings_mark_stale


class Command(BaseCommand):
    help = "Refresh the map snapshot if the set of stale crossings changed."

    def handle(self, *args: Any, **options: Any) -> None:
        result = crossings_mark_stale()
        self.stdout.write(
            f"{result.stale} crossings stale ({result.newly_stale} newly, "
            f"{result.no_longer_stale} no longer); "
            + ("map snapshot refreshed" if result.bumped else "map unchanged")
        )

"""Ask the flight price providers for fares now, in this process.

    manage.py refresh_flights

A provider without credentials (TRAVELPAYOUTS_TOKEN) reports "off". Exits
non-zero if a configured provider failed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from exitwatch.lib.jobs import JobStoreUnavailable, new_owner
from routes.flights.refresh import flights_refresh


class Command(BaseCommand):
    help = "Fetch flight prices from the configured providers now."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcomes = flights_refresh(run_id=new_owner("refresh_flights"))
        except JobStoreUnavailable as exc:
            raise CommandError(str(exc)) from None
        failed = [o for o in outcomes if o.status == "failed" or o.error]
        for outcome in outcomes:
            (self.stderr if outcome in failed else self.stdout).write(outcome.summary())
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} providers failed")

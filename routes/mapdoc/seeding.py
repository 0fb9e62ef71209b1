"""Load all the reference data shipped in routes/seed/ at once: crossings (with
their sourced statuses), airports and exit routes.

Idempotent by natural key (slug, IATA code): a second load changes nothing. All or
nothing: one bad row stops the load with a message naming the file and the row.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.flights.seeding import seed_airports
from routes.seeding import SEED_DIR, SeedResult, seed_crossings, seed_routes


@transaction.atomic
def seed_load(*, directory: Path = SEED_DIR) -> SeedResult:
    """Create or update every seed row; a bad one raises SeedError, writing nothing."""
    result = SeedResult()
    seed_crossings(directory=directory, result=result)
    seed_airports(directory=directory, result=result)
    seed_routes(directory=directory, result=result)
    snapshot_mark_stale()
    return result

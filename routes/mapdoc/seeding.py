"""Load all the reference data shipped in routes/seed/ at once: crossings (with
their sourced statuses), airports and exit routes, then the saved copies of the
official checkpoint list (routes/seed/rosgranstroy/, oldest first), which give
each crossing its Russian side and each airport its border checkpoint, the
entry rules (routes/seed/entry/: a visa table and curated rules), the places
a traveller starts from (routes/seed/places.json, after the airports they name),
and who may cross where (routes/seed/access/rules.json: curated rules, and the
Russian side's baseline from the saved official lists).

Idempotent by natural key (slug, IATA code): a second load changes nothing. All or
nothing: one bad row stops the load with a message naming the file and the row.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from exitwatch.lib.jobs import JobStoreUnavailable, new_owner
from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.access.seeding import AccessLoadError, access_rules_load
from routes.checkpoints.refresh import official_list_load
from routes.entry.seeding import EntryLoadError, entry_rules_load
from routes.flights.seeding import seed_airports
from routes.places.seeding import PlaceLoadError, places_load
from routes.seeding import SEED_DIR, SeedError, SeedResult, seed_crossings, seed_routes

OFFICIAL_LIST_DIR = "rosgranstroy"
ENTRY_RULES_DIR = "entry"
PLACES_FILE = "places.json"
ACCESS_RULES_FILE = "access/rules.json"


@transaction.atomic
def seed_load(*, directory: Path = SEED_DIR) -> SeedResult:
    """Create or update every seed row; a bad one raises SeedError, writing nothing."""
    result = SeedResult()
    seed_crossings(directory=directory, result=result)
    seed_airports(directory=directory, result=result)
    seed_routes(directory=directory, result=result)
    seed_official_list(directory=directory / OFFICIAL_LIST_DIR)
    seed_entry_rules(directory=directory / ENTRY_RULES_DIR)
    seed_places(path=directory / PLACES_FILE, result=result)
    seed_access_rules(path=directory / ACCESS_RULES_FILE)
    snapshot_mark_stale()
    return result


def seed_entry_rules(*, directory: Path) -> None:
    """Record the visa table and the curated entry rules in `directory` (none
    there: nothing to do); SeedError if one is bad."""
    if not directory.is_dir():
        return
    try:
        entry_rules_load(directory)
    except EntryLoadError as exc:
        raise SeedError(str(exc)) from None


def seed_places(*, path: Path, result: SeedResult) -> None:
    """Upsert the places in `path` (no such file: nothing to do), after the
    airports they name; SeedError if one is bad."""
    if not path.is_file():
        return
    try:
        load = places_load(path)
    except PlaceLoadError as exc:
        raise SeedError(str(exc)) from None
    for outcome in ("created", "updated", "unchanged"):
        if count := getattr(load, outcome):
            getattr(result, outcome)["places"] = count


def seed_access_rules(*, path: Path) -> None:
    """Record who may cross where from `path` (none there: nothing to do), after
    the crossings and the official lists; SeedError if a rule is bad."""
    if not path.is_file():
        return
    try:
        access_rules_load(path)
    except AccessLoadError as exc:
        raise SeedError(str(exc)) from None


def seed_official_list(*, directory: Path) -> None:
    """Record the saved official lists in `directory` (none there: nothing to do),
    after the crossings and airports they are matched to; SeedError if one is bad."""
    if not directory.is_dir():
        return
    try:
        outcome = official_list_load(path=directory, run_id=new_owner("seed"))
    except JobStoreUnavailable as exc:
        raise SeedError(str(exc)) from None
    if outcome.status != "ok" or outcome.error:
        raise SeedError(outcome.summary())

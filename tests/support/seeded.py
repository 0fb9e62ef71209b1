"""The whole seed for tests that read it, loaded once per process and copied back.

`seed_load()` goes through every write path (history, rules, the official lists):
about 8,000 queries, 3.5 s or more per test on PostgreSQL. Tests that only read the
seeded world call `seed_copy()` instead. The first call loads the seed for real and
keeps the rows it wrote, table by table, with PostgreSQL's COPY; later calls put the
same rows back with COPY and move the id sequences past them, in well under a second.

The copy is only taken when every table the seed fills is empty before, and only put
back into a database whose every table has the row count it had then, so a test that
made rows of its own first gets the real load, never a mix. What the first load
stamped with the clock (when each row was recorded) is as of that load. Tests about
the loading itself load it for real (`seed_load()`, `manage.py seed`).
"""

from __future__ import annotations

import io

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from exitwatch.lib.snapshot import snapshot_mark_stale
from routes.mapdoc.seeding import seed_load
from routes.places.selectors import places_cache_bump

# table -> COPY text of the rows the seed wrote, taken in this process.
_COPIED: dict[str, bytes] = {}
# Every table's row count when the copy was taken: the copy is only put back
# into a database that starts the same, so a first caller with rows of its own
# (places loaded beforehand, say) cannot hand its gaps to the tests after it.
_BEFORE: dict[str, int] = {}


def _tables() -> dict[str, type]:
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _counts(cursor, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - model tables
        counts[table] = cursor.fetchone()[0]
    return counts


def seed_copy() -> None:
    """The database as `seed_load()` leaves it, from a copy when one can be used."""
    if connection.vendor != "postgresql":
        seed_load()
        return
    tables = _tables()
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if _COPIED:
            if _counts(cursor, tables) != _BEFORE:
                seed_load()  # not the state the copy was taken from
                return
            for table, rows in _COPIED.items():
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))
            models = [tables[table] for table in _COPIED]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            _after_load()
            return
        before = _counts(cursor, tables)
        seed_load()
        after = _counts(cursor, tables)
        filled = [table for table in tables if after[table] != before[table]]
        if any(before[table] for table in filled):
            return  # the seed added to rows already there: nothing clean to copy
        for table in filled:
            out = io.BytesIO()
            cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", out)
            _COPIED[table] = out.getvalue()
        _BEFORE.update(before)


def _after_load() -> None:
    # What seed_load does besides its rows: the map and places caches go stale.
    snapshot_mark_stale()
    places_cache_bump(local_only=True)
    transaction.on_commit(places_cache_bump)

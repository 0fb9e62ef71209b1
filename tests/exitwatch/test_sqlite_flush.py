"""SQLite's flush empties crossings and their append-only history in any order.

Runs on a throwaway SQLite file in a subprocess, so it runs whatever database the
suite itself uses (CI: PostgreSQL, which truncates and never meets the trigger).
"""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.color import no_style

from exitwatch.sqlite.base import DatabaseOperations

ROOT = Path(__file__).resolve().parents[2]

FLUSH_BOTH_WAYS = """
import django
django.setup()
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from routes.models import BorderCrossing, CrossingUpdate

assert connection.settings_dict["ENGINE"] == "exitwatch.sqlite"
call_command("migrate", verbosity=0)
names = connection.introspection.django_table_names(only_existing=True)
for order in (sorted(names), sorted(names, reverse=True)):
    call_command("seed", verbosity=0)
    assert CrossingUpdate.objects.exists()
    with transaction.atomic():
        sql = connection.ops.sql_flush(no_style(), order, allow_cascade=False)
        connection.ops.execute_sql_flush(sql)
    history_first = order.index("routes_crossingupdate") < order.index(
        "routes_bordercrossing"
    )
    counts = BorderCrossing.objects.count(), CrossingUpdate.objects.count()
    print("flushed", history_first, *counts)
"""


def test_history_is_deleted_after_its_crossings_whatever_order_it_is_given():
    ops = DatabaseOperations(connection=None)
    tables = ["routes_crossingupdate", "auth_user", "routes_bordercrossing"]
    statements = ops.sql_flush(no_style(), tables, reset_sequences=True)
    deletes = [s for s in statements if s.startswith("DELETE")]
    assert deletes == [
        'DELETE FROM "auth_user";',
        'DELETE FROM "routes_bordercrossing";',
        'DELETE FROM "routes_crossingupdate";',
    ]
    assert len(statements) == 4  # and the sequence reset is kept


def test_a_real_sqlite_flush_empties_seeded_history_in_both_table_orders(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="1",
        SQLITE_PATH=str(tmp_path / "flush.sqlite3"),
    )
    result = subprocess.run(
        [sys.executable, "-c", FLUSH_BOTH_WAYS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    flushed = [x for x in result.stdout.splitlines() if x.startswith("flushed")]
    # Crossings first in one order, history first in the other; both flush clean.
    assert flushed == ["flushed False 0 0", "flushed True 0 0"]

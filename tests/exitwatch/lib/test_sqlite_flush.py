"""SQLite's flush empties crossings and their append-only history in any order.

Runs on a throwaway SQLite file in a subprocess, so it runs whatever database the
suite itself uses (CI: PostgreSQL, which truncates and never meets the trigger).
"""

import pytest
from django.core.management.color import Style, no_style
from django.utils.termcolors import make_style

from exitwatch.lib.sqlite.base import DatabaseOperations
from tests.support.subprocesses import python

FLUSH_BOTH_WAYS = """
import shutil

import django
django.setup()
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from routes.models import BorderCrossing, CrossingUpdate

assert connection.settings_dict["ENGINE"] == "exitwatch.lib.sqlite"
call_command("migrate", verbosity=0)
call_command("seed", verbosity=0)
# The seed goes through every write path (seconds): load it once and put the
# file back for the second order.
database = connection.settings_dict["NAME"]
connection.close()
shutil.copyfile(database, database + ".seeded")
names = connection.introspection.django_table_names(only_existing=True)
for order in (sorted(names), sorted(names, reverse=True)):
    connection.close()
    shutil.copyfile(database + ".seeded", database)
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


def coloured_style() -> Style:
    """What `manage.py sqlflush` styles SQL with on a colour terminal, whatever
    DJANGO_COLORS says."""
    style = Style()
    style.SQL_KEYWORD = make_style(fg="yellow")
    style.SQL_FIELD = make_style(fg="green", opts=("bold",))
    style.SQL_TABLE = make_style(opts=("bold",))
    return style


@pytest.mark.parametrize(
    "style", [no_style(), coloured_style()], ids=["plain", "colour"]
)
def test_history_is_deleted_after_its_crossings_whatever_order_it_is_given(style):
    ops = DatabaseOperations(connection=None)
    tables = ["routes_crossingupdate", "auth_user", "routes_bordercrossing"]
    statements = ops.sql_flush(style, tables, reset_sequences=True)
    deleted = [
        table
        for sql in statements
        if "DELETE" in sql
        for table in tables
        if ops.quote_name(table) in sql
    ]
    assert deleted == ["auth_user", "routes_bordercrossing", "routes_crossingupdate"]
    assert len(statements) == 4  # and the sequence reset is kept
    # Each statement as the style wrote it: the colour case is really coloured.
    assert statements[0].startswith(style.SQL_KEYWORD("DELETE"))


def test_a_real_sqlite_flush_empties_seeded_history_in_both_table_orders(tmp_path):
    result = python(
        FLUSH_BOTH_WAYS,
        unset=["DATABASE_URL", "REDIS_URL"],
        timeout=180,
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="1",
        SQLITE_PATH=str(tmp_path / "flush.sqlite3"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    flushed = [x for x in result.stdout.splitlines() if x.startswith("flushed")]
    # Crossings first in one order, history first in the other; both flush clean.
    assert flushed == ["flushed False 0 0", "flushed True 0 0"]

"""Django's SQLite backend, with a flush that the append-only history allows.

On SQLite the history trigger (routes migration 0002) lets a crossing's history
row be deleted only once the crossing itself is gone; PostgreSQL truncates, which
row triggers leave alone. Django's SQLite flush deletes tables in set order, so
`manage.py flush` and the tests' database resets failed at random. Here the
history tables are emptied last; the foreign keys are checked at commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import Style
from django.db.backends.sqlite3 import base, operations

# Tables whose rows may go only after the rows they belong to (routes 0002).
DELETED_LAST = ("routes_crossingupdate",)


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Style,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements = super().sql_flush(
            style,
            tables,
            reset_sequences=reset_sequences,
            allow_cascade=allow_cascade,
        )
        last = tuple(self.quote_name(table) for table in DELETED_LAST)

        def deletes_history(sql: str) -> bool:
            # By the quoted name, not the whole text: `sqlflush` styles keywords
            # and names (colours), `flush` does not.
            return "DELETE" in sql and any(name in sql for name in last)

        # A stable sort: everything else keeps Django's order.
        return sorted(statements, key=deletes_history)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

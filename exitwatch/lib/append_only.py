"""Append-only tables, enforced by the database: a change is a new row.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, how test databases are reset,
is left alone). SQLite refuses UPDATE; it resets test databases with DELETE, so
DELETE stays allowed there (SQLite is for development only). A migration makes
a table append-only with one operation, `append_only(table, what)`.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _statements(table: str, what: str) -> dict[tuple[str, bool], str]:
    function = f"{table}_append_only"
    return {
        ("postgresql", True): f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{what} are append-only: % of {table} refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {function}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
""",
        ("postgresql", False): f"""
DROP TRIGGER IF EXISTS {function} ON {table};
DROP FUNCTION IF EXISTS {function}();
""",
        ("sqlite", True): f"""
CREATE TRIGGER {table}_no_update
BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{what} are append-only: UPDATE of {table} refused');
END;
""",
        ("sqlite", False): f"DROP TRIGGER IF EXISTS {table}_no_update;",
    }


def append_only(table: str, what: str) -> migrations.RunPython:
    """The migration operation that makes `table` append-only; `what` names
    its rows in the refusal ("entry rules")."""
    statements = _statements(table, what)

    def run(schema_editor: Any, forward: bool) -> None:
        vendor = schema_editor.connection.vendor
        sql = statements.get((vendor, forward))
        if sql is None:
            if forward:
                raise RuntimeError(f"no append-only trigger for the {vendor} database")
            return
        schema_editor.execute(sql, params=None)

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, True),
        lambda apps, schema_editor: run(schema_editor, False),
    )

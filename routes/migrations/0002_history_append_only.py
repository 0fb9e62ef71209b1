"""Make crossing history append-only in the database itself.

An UPDATE or DELETE of a routes_crossingupdate row fails whatever issues it: the
admin, the ORM or raw SQL. PostgreSQL's TRUNCATE (a maintenance operation, and how
test databases are reset) is deliberately left alone.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION routes_crossingupdate_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'crossing history is append-only: % of routes_crossingupdate refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER routes_crossingupdate_append_only
    BEFORE UPDATE OR DELETE ON routes_crossingupdate
    FOR EACH ROW EXECUTE FUNCTION routes_crossingupdate_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS routes_crossingupdate_append_only ON routes_crossingupdate;
DROP FUNCTION IF EXISTS routes_crossingupdate_append_only();
"""

# SQLite has no TRUNCATE, and resets test databases with DELETE: a history row may
# go only once its crossing is gone, which the foreign key (PROTECT in Django, a
# constraint in the database) forbids while history exists.
SQLITE_FORWARD = [
    """
    CREATE TRIGGER routes_crossingupdate_no_update
    BEFORE UPDATE ON routes_crossingupdate
    BEGIN
        SELECT RAISE(ABORT, 'crossing history is append-only: UPDATE of routes_crossingupdate refused');
    END;
    """,
    """
    CREATE TRIGGER routes_crossingupdate_no_delete
    BEFORE DELETE ON routes_crossingupdate
    WHEN EXISTS (SELECT 1 FROM routes_bordercrossing WHERE id = OLD.crossing_id)
    BEGIN
        SELECT RAISE(ABORT, 'crossing history is append-only: DELETE of routes_crossingupdate refused');
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS routes_crossingupdate_no_update;",
    "DROP TRIGGER IF EXISTS routes_crossingupdate_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql, params=None)
    else:
        raise RuntimeError(f"no append-only trigger for the {vendor} database")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("routes", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

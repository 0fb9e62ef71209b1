"""Make events append-only in the database: an event, once made, is what was said.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, how test databases are reset,
is left alone). SQLite refuses UPDATE; it resets test databases with DELETE, so
DELETE stays allowed there (SQLite is for development only).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION alerts_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % of alerts_event refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER alerts_event_append_only
    BEFORE UPDATE OR DELETE ON alerts_event
    FOR EACH ROW EXECUTE FUNCTION alerts_event_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS alerts_event_append_only ON alerts_event;
DROP FUNCTION IF EXISTS alerts_event_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER alerts_event_no_update
BEFORE UPDATE ON alerts_event
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE of alerts_event refused');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS alerts_event_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD, params=None)
    else:
        raise RuntimeError(f"no append-only trigger for the {vendor} database")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

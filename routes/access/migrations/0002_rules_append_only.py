"""Make access rules append-only in the database: a change is a new rule.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, how test databases are reset,
is left alone). SQLite refuses UPDATE; it resets test databases with DELETE, so
DELETE stays allowed there (SQLite is for development only).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION access_crossingaccessrule_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access rules are append-only: % of access_crossingaccessrule refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_crossingaccessrule_append_only
    BEFORE UPDATE OR DELETE ON access_crossingaccessrule
    FOR EACH ROW EXECUTE FUNCTION access_crossingaccessrule_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS access_crossingaccessrule_append_only ON access_crossingaccessrule;
DROP FUNCTION IF EXISTS access_crossingaccessrule_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER access_crossingaccessrule_no_update
BEFORE UPDATE ON access_crossingaccessrule
BEGIN
    SELECT RAISE(ABORT, 'access rules are append-only: UPDATE of access_crossingaccessrule refused');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS access_crossingaccessrule_no_update;"


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
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

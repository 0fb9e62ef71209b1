"""Reports get a random public id, the one the API shows instead of the
sequential primary key. Existing rows each get their own: the column is added
empty, filled in batches, then made required and unique (one default for all
rows would give every row the same id)."""

import uuid

from django.db import migrations, models

BATCH = 1000


def fill(apps, schema_editor):
    reports = apps.get_model("reports", "TravellerReport")
    manager = reports.objects.using(schema_editor.connection.alias)
    while True:
        batch = list(manager.filter(public_id__isnull=True).only("pk")[:BATCH])
        if not batch:
            return
        for report in batch:
            report.public_id = uuid.uuid4()
        manager.bulk_update(batch, ["public_id"])


def name_as_created(apps, schema_editor):
    # Adding uniqueness to a column names the constraint with a hash; a table
    # created with the unique column (a new database) has PostgreSQL's own name,
    # <table>_<column>_key. Give this one that name too, so that a migrated
    # database and a new one look the same.
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = apps.get_model("reports", "TravellerReport")._meta.db_table
    wanted = f"{table}_public_id_key"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        if info["unique"] and info["columns"] == ["public_id"] and name != wanted:
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(table)} RENAME CONSTRAINT "
                f"{schema_editor.quote_name(name)} TO {schema_editor.quote_name(wanted)}"
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="travellerreport",
            name="public_id",
            field=models.UUIDField(
                editable=False, null=True, verbose_name="public id"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="travellerreport",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                unique=True,
                verbose_name="public id",
            ),
        ),
        migrations.RunPython(name_as_created, migrations.RunPython.noop),
    ]

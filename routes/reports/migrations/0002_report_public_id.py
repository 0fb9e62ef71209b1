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
    ]

"""Giving reports random public ids (reports 0002) on a PostgreSQL database that
holds reports: no row is lost, every row gets its own id, and undoing and redoing
the migration keeps them all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from routes.reports.models import TravellerReport
from tests.factories import CrossingFactory
from tests.support.services import require_services

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("reports", "0001_initial")
T0 = datetime(2026, 9, 25, 9, 0, tzinfo=UTC)
ROWS = 2500  # more than one batch of the migration's updates


def migrate(target: tuple[str, str] | None):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    nodes = [n for n in leaves if n[0] != "reports"] + [target] if target else leaves
    executor.migrate(nodes)
    executor.loader.build_graph()
    return executor.loader.project_state(nodes).apps


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM routes_travellerreport")
        return cursor.fetchone()[0]


def test_every_report_keeps_its_row_and_gets_its_own_random_id():
    require_services(redis=False)
    crossing = CrossingFactory(slug="ids-upper-lars")
    try:
        apps = migrate(BEFORE)
        reports = apps.get_model("reports", "TravellerReport").objects
        reports.bulk_create(
            reports.model(
                crossing_id=crossing.pk,
                mode="car",
                status_seen="open",
                wait_minutes=n % 600,
                observed_at=T0 + timedelta(minutes=5 * (n % 100)),
                submitted_at=T0 + timedelta(minutes=5 * (n % 100)),
                state="approved" if n % 3 else "pending",
                moderated_at=T0 if n % 3 else None,
            )
            for n in range(ROWS)
        )
        pks = set(reports.values_list("pk", flat=True))
        migrate(None)

        assert count() == ROWS
        rows = list(TravellerReport.objects.values_list("pk", "public_id"))
        assert {pk for pk, _ in rows} == pks
        ids = [public_id for _, public_id in rows]
        assert None not in ids
        assert len(set(ids)) == ROWS
        assert all(public_id.version == 4 for public_id in ids)

        # A new report gets one too, and the column refuses a copy.
        new = TravellerReport.objects.create(
            crossing=crossing,
            mode="car",
            status_seen="open",
            wait_minutes=30,
            observed_at=T0,
            submitted_at=T0,
        )
        assert new.public_id not in set(ids)

        # Undone and redone: still every row, each with an id of its own.
        migrate(BEFORE)
        assert count() == ROWS + 1
        migrate(None)
        assert count() == ROWS + 1
        again = TravellerReport.objects.values_list("public_id", flat=True)
        assert len(set(again)) == ROWS + 1
    finally:
        migrate(None)
        TravellerReport.objects.all().delete()

"""Two sides of every border (routes 0009) on a PostgreSQL database that holds
crossings and their history: no row is lost, every old row becomes a claim
about both sides, each side starts from the crossing's status, the history stays
append-only, and the migration survives being undone and redone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from routes.models import BorderCrossing, CrossingUpdate
from routes.services import crossing_update_record
from tests.support.services import require_services

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("routes", "0008_flights_and_reports_apps")
T0 = datetime(2022, 9, 25, 9, 0, tzinfo=UTC)


def migrate(target: tuple[str, str] | None):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    nodes = [n for n in leaves if n[0] != "routes"] + [target] if target else leaves
    executor.migrate(nodes)
    executor.loader.build_graph()
    return executor.loader.project_state(nodes).apps


def seed(apps) -> None:
    crossings = apps.get_model("routes", "BorderCrossing").objects
    updates = apps.get_model("routes", "CrossingUpdate").objects
    lars = crossings.create(
        slug="sides-upper-lars",
        name_en="Upper Lars",
        name_ru="Верхний Ларс",
        neighbour_name_en="Kazbegi",
        neighbour_name_ru="Казбеги",
        country="GE",
        region_en="North Ossetia",
        region_ru="Северная Осетия",
        latitude=42.74,
        longitude=44.63,
        kind="road",
        source="https://example.org/upper-lars",
        status="restricted",
        note="Queues past Kazbegi",
        last_observed_at=T0 + timedelta(hours=1),
        last_source_kind="staff",
        last_source_url="https://example.org/queue",
    )
    crossings.create(
        slug="sides-never-reported",
        name_en="Quiet",
        name_ru="Тихий",
        neighbour_name_en="Quiet",
        neighbour_name_ru="Тихий",
        country="KZ",
        region_en="Somewhere",
        region_ru="Где-то",
        latitude=51.0,
        longitude=60.0,
        kind="road",
        source="https://example.org/quiet",
    )
    for hours, status, previous in ((0, "open", "unknown"), (1, "restricted", "open")):
        updates.create(
            crossing=lars,
            status=status,
            previous_status=previous,
            source_kind="staff",
            source_url="https://example.org/queue",
            observed_at=T0 + timedelta(hours=hours),
            wait_car=60 * (hours + 1),
        )


def counts() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM routes_bordercrossing")
        crossings = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM routes_crossingupdate")
        return crossings, cursor.fetchone()[0]


def test_sides_keep_every_row_and_start_from_the_status():
    require_services(redis=False)
    try:
        seed(migrate(BEFORE))
        before = counts()
        migrate(None)
        assert counts() == before == (2, 2)

        lars = BorderCrossing.objects.get(slug="sides-upper-lars")
        assert (lars.ru_status, lars.neighbour_status, lars.status) == (
            "restricted",
            "restricted",
            "restricted",
        )
        assert (
            lars.ru_observed_at == lars.neighbour_observed_at == T0 + timedelta(1 / 24)
        )
        assert lars.status_observed_at == lars.last_observed_at
        assert lars.ru_source_url == "https://example.org/queue"
        assert lars.neighbour_note == "Queues past Kazbegi"
        quiet = BorderCrossing.objects.get(slug="sides-never-reported")
        assert (quiet.ru_status, quiet.neighbour_observed_at) == ("unknown", None)
        assert set(CrossingUpdate.objects.values_list("side", flat=True)) == {"both"}
        assert [u.wait_car for u in CrossingUpdate.objects.order_by("observed_at")] == [
            60,
            120,
        ]

        # The history is still append-only.
        with pytest.raises(DatabaseError), transaction.atomic():
            CrossingUpdate.objects.update(note="rewritten")

        # The write path works on the migrated rows: a claim about one side.
        crossing_update_record(
            crossing=lars,
            source_kind="official",
            side="ru",
            status="open",
            source_url="https://rosgranstroy.ru/api/map_data",
            observed_at=T0 + timedelta(days=1),
        )
        lars.refresh_from_db()
        assert (lars.ru_status, lars.neighbour_status, lars.status) == (
            "open",
            "restricted",
            "restricted",
        )

        # Undone and redone: the rows are all still there. Undoing drops the
        # side column, so the redo reads every row as a claim about both sides,
        # as for any history written before sides existed.
        migrate(BEFORE)
        assert counts() == (2, 3)
        migrate(None)
        assert counts() == (2, 3)
        assert CrossingUpdate.objects.filter(side="both").count() == 3
    finally:
        migrate(None)

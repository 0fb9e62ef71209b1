"""Import batches and source grants (flights 0003) on a database that holds flight
reports: every report is kept as it was, with no batch, and the migration survives
being undone and redone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("flights", "0002_airport_border_checkpoint")
AFTER = ("flights", "0003_import_batches_and_source_grants")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    nodes = [n for n in leaves if n[0] != "flights"] + [target]
    executor.migrate(nodes)
    executor.loader.build_graph()
    return executor.loader.project_state(nodes).apps


def seed(apps) -> list[tuple]:
    airports = apps.get_model("flights", "Airport").objects
    reports = apps.get_model("flights", "FlightReport").objects
    place = {"latitude": 55.97, "longitude": 37.41, "source": "https://example.org/"}
    svo = airports.create(
        iata="SVO",
        name_en="Sheremetyevo",
        name_ru="Шереметьево",
        city_en="Moscow",
        city_ru="Москва",
        country="RU",
        **place,
    )
    ist = airports.create(
        iata="IST",
        name_en="Istanbul",
        name_ru="Стамбул",
        city_en="Istanbul",
        city_ru="Стамбул",
        country="TR",
        **place,
    )
    for n, source in enumerate(("aviasales", "volunteers", "partner")):
        reports.create(
            origin=svo,
            destination=ist,
            departure_date=date(2026, 3, 3),
            availability="few",
            seats=2,
            price=45000 + n,
            currency="RUB",
            observed_at=datetime(2026, 3, 1, 10, n, tzinfo=UTC),
            source=source,
            source_ref=f"ref-{n}",
        )
    return rows(apps)


def rows(apps) -> list[tuple]:
    return list(
        apps.get_model("flights", "FlightReport")
        .objects.order_by("source", "source_ref")
        .values_list("source", "source_ref", "price", "observed_at", "seats")
    )


def test_every_report_is_kept_without_a_batch_both_ways():
    try:
        before = seed(migrate(BEFORE))
        after = migrate(AFTER)
        assert rows(after) == before
        reports = after.get_model("flights", "FlightReport").objects
        assert not reports.exclude(batch=None).exists()
        assert not after.get_model("flights", "FlightSourceGrant").objects.exists()
        assert rows(migrate(BEFORE)) == before
        assert rows(migrate(AFTER)) == before
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

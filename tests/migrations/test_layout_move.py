"""Moving flights and traveller reports out of the routes app (flights 0001,
reports 0001, routes 0008) changes only which app Django says owns the models.

The test takes a PostgreSQL database back to the schema before the move, seeds it
through the historical models as the old code would have, moves it forward and
checks that the database kept every row, its history trigger, the permissions
granted on the moved models, the admin's log and the constraint names the new
models declare; and that the move survives being undone and redone.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps.registry import Apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from routes.flights.models import Airport, FlightProvider, FlightReport
from routes.reports.models import TravellerReport, TrustedReporterToken
from tests.support.services import require_services

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MOVE = ("routes", "0007_report_moderators_notified")
MOVED_TO = {
    "flights": ("airport", "flightreport", "flightprovider"),
    "reports": ("travellerreport", "trustedreportertoken"),
}
NEW_MODELS: tuple[type[models.Model], ...] = (
    Airport,
    FlightReport,
    FlightProvider,
    TrustedReporterToken,
    TravellerReport,
)
TABLES = (
    "routes_bordercrossing",
    "routes_crossingupdate",
    "routes_exitroute",
    "routes_airport",
    "routes_flightreport",
    "routes_flightprovider",
    "routes_trustedreportertoken",
    "routes_travellerreport",
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "django_admin_log",
)
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


# --- Moving the database between the two schemas ---------------------------------


def before_move_nodes(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """Every app at its newest migration, except routes just before the move (and
    flights and reports, which did not exist yet)."""
    leaves = executor.loader.graph.leaf_nodes()
    others = [node for node in leaves if node[0] not in ("routes", *MOVED_TO)]
    return [*others, BEFORE_MOVE]


def migrate_before_move() -> Apps:
    """Unapply the move; return the historical models of the schema before it."""
    executor = MigrationExecutor(connection)
    nodes = before_move_nodes(executor)
    # Naming routes 0007 alone would unapply routes 0008 only: the new apps'
    # migrations, which relabel the content types back, must go too.
    executor.migrate([*nodes, *((label, None) for label in MOVED_TO)])
    executor.loader.build_graph()
    applied = executor.loader.applied_migrations
    assert not [node for node in applied if node[0] in MOVED_TO]
    assert ("routes", "0008_flights_and_reports_apps") not in applied
    return executor.loader.project_state(nodes).apps


def migrate_to_leaves() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # Content types were relabelled under the cache's feet.
    ContentType.objects.clear_cache()


# --- What the old code wrote --------------------------------------------------------


def seed_before_move(apps: Apps) -> dict[str, int]:
    """Rows of every kind the move concerns, written through the historical models;
    returns the ids the assertions look up."""
    # The old code's post_migrate gave the models content types and permissions
    # labelled routes; make sure they exist as they would on such a database.
    routes_config = apps.get_app_config("routes")
    routes_config.models_module = True
    create_permissions(routes_config, verbosity=0, apps=apps)
    routes_config.models_module = None

    get = apps.get_model
    crossings = get("routes", "BorderCrossing").objects
    upper_lars = crossings.create(
        slug="move-upper-lars",
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
        allows_car=True,
        allows_bus=True,
        source="https://example.org/upper-lars",
    )
    buslovskaya = crossings.create(
        slug="move-buslovskaya",
        name_en="Buslovskaya",
        name_ru="Бусловская",
        neighbour_name_en="Vainikkala",
        neighbour_name_ru="Вайниккала",
        country="FI",
        region_en="Leningrad Oblast",
        region_ru="Ленинградская область",
        latitude=60.82,
        longitude=28.43,
        kind="rail",
        allows_pedestrian=True,
        source="https://example.org/buslovskaya",
    )
    history = get("routes", "CrossingUpdate").objects
    statuses = ["open", "restricted", "open", "closed", "open", "restricted"]
    updates = [
        history.create(
            crossing=upper_lars if i % 2 == 0 else buslovskaya,
            status=status,
            previous_status="unknown" if i < 2 else statuses[i - 2],
            wait_car=30 * i,
            source_kind="staff",
            observed_at=T0 + timedelta(minutes=35 * i),
            actor_label="Nino",
        )
        for i, status in enumerate(statuses)
    ]
    get("routes", "ExitRoute").objects.create(
        slug="move-moscow-tbilisi",
        name_en="Moscow to Tbilisi",
        name_ru="Москва – Тбилиси",
        origin_en="Moscow",
        origin_ru="Москва",
        crossing=upper_lars,
        destination_en="Tbilisi",
        destination_ru="Тбилиси",
        destination_country="GE",
        distance_km=1950,
        path=[[37.62, 55.75], [44.63, 42.74], [44.79, 41.72]],
        source="https://example.org/route",
    )

    airports = get("routes", "Airport").objects

    def airport(iata: str, country: str, lat: float, lon: float):
        return airports.create(
            iata=iata,
            name_en=f"{iata} airport",
            name_ru=f"Аэропорт {iata}",
            city_en=iata,
            city_ru=iata,
            country=country,
            latitude=lat,
            longitude=lon,
            source=f"https://example.org/{iata}",
        )

    svo, evn, tbs = (
        airport("SVO", "RU", 55.97, 37.41),
        airport("EVN", "AM", 40.15, 44.40),
        airport("TBS", "GE", 41.67, 44.95),
    )
    flights = get("routes", "FlightReport").objects
    for n, (destination, price) in enumerate(
        [(evn, Decimal("18500.00")), (tbs, None), (evn, None)]
    ):
        flights.create(
            origin=svo,
            destination=destination,
            departure_date=date(2026, 12, 1) + timedelta(days=n),
            availability="few" if price else "unknown",
            price=price,
            currency="RUB" if price else "",
            observed_at=T0,
            source="volunteer_csv",
            source_ref=f"move-{n}",
        )
    get("routes", "FlightProvider").objects.create(
        key="move-provider", name="Provider", enabled=True
    )

    users = get("auth", "User").objects
    tamar = users.create(username="move-tamar", password="!")
    levan = users.create(username="move-levan", password="!")
    tokens = get("routes", "TrustedReporterToken").objects
    token = tokens.create(
        label="Volunteers at Upper Lars",
        token_hash="a" * 64,
        prefix="aaaa",
        created_by=tamar,
    )
    tokens.create(
        label="Retired volunteers",
        token_hash="b" * 64,
        prefix="bbbb",
        created_by=tamar,
        revoked_at=T0,
        revoked_by=tamar,
    )
    reports = get("routes", "TravellerReport").objects
    common = {"crossing": upper_lars, "mode": "car", "submitted_at": T0}
    reports.create(
        **common, status_seen="open", wait_minutes=90, observed_at=T0, note="pending"
    )
    approved = reports.create(
        **common,
        status_seen="restricted",
        queue_position=40,
        observed_at=T0,
        state="approved",
        moderated_at=T0 + timedelta(minutes=5),
        moderated_by=tamar,
        published_with=token,
        crossing_update=updates[0],
    )
    reports.create(
        **common,
        status_seen="closed",
        observed_at=T0,
        state="rejected",
        reject_reason="Duplicate",
        moderated_at=T0,
        moderated_by=tamar,
    )

    permissions = get("auth", "Permission").objects

    def permission(model: str, codename: str):
        return permissions.get(
            content_type__app_label="routes",
            content_type__model=model,
            codename=codename,
        )

    group = get("auth", "Group").objects.create(name="Move moderators")
    group.permissions.add(
        permission("airport", "view_airport"),
        permission("flightreport", "view_flightreport"),
        permission("travellerreport", "view_travellerreport"),
        permission("travellerreport", "moderate_travellerreport"),
    )
    tamar.groups.add(group)
    levan.user_permissions.add(
        permission("travellerreport", "moderate_travellerreport")
    )

    report_type = get("contenttypes", "ContentType").objects.get(
        app_label="routes", model="travellerreport"
    )
    log = get("admin", "LogEntry").objects.create(
        user=tamar,
        content_type=report_type,
        object_id=str(approved.pk),
        object_repr=f"#{approved.pk}",
        action_flag=2,
        change_message="[]",
    )
    return {
        "tamar": tamar.pk,
        "levan": levan.pk,
        "approved": approved.pk,
        "approved_update": updates[0].pk,
        "token": token.pk,
        "log": log.pk,
    }


# --- What the database holds ------------------------------------------------------


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def history_checksum() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, observed_at, status FROM routes_crossingupdate ORDER BY id"
        )
        rows = cursor.fetchall()
    text = "\n".join(f"{pk}|{at.isoformat()}|{status}" for pk, at, status in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def constraint_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def fresh_constraint_names() -> dict[str, set[str]]:
    """The constraint and index names the new models get on a database created
    from them, built in a scratch schema that the rollback takes away."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA layout_move_scratch")
            # The scratch tables hide the real ones; their foreign keys to the
            # crossings and users reach the real tables in public.
            cursor.execute("SET LOCAL search_path TO layout_move_scratch, public")
        with connection.schema_editor() as editor:
            for model in NEW_MODELS:
                editor.create_model(model)
        tables = [model._meta.db_table for model in NEW_MODELS]
        names = {table: constraint_names(table) for table in tables}
        transaction.set_rollback(True)
    return names


def fresh_user(pk: int) -> User:
    # A new instance each time: has_perm caches what it found on the user.
    return User.objects.get(pk=pk)


# --- Assertions -------------------------------------------------------------------


def assert_rows_readable_through_new_models(
    counts: dict[str, int], ids: dict[str, int]
) -> None:
    for model in NEW_MODELS:
        assert model.objects.count() == counts[model._meta.db_table], model
    flights = list(FlightReport.objects.select_related("origin", "destination"))
    assert {(f.origin.iata, f.destination.iata) for f in flights} >= {
        ("SVO", "EVN"),
        ("SVO", "TBS"),
    }
    approved = TravellerReport.objects.select_related(
        "crossing", "published_with", "crossing_update", "moderated_by"
    ).get(pk=ids["approved"])
    assert approved.state == "approved"
    assert approved.crossing.slug == "move-upper-lars"
    assert approved.published_with_id == ids["token"]
    assert approved.crossing_update_id == ids["approved_update"]
    assert approved.moderated_by.username == "move-tamar"
    assert TravellerReport.objects.filter(crossing__slug="move-upper-lars").count() == 3


def assert_history_append_only() -> None:
    for sql in (
        "UPDATE routes_crossingupdate SET note = 'rewritten'",
        "DELETE FROM routes_crossingupdate",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)


def assert_permissions_follow_the_models(ids: dict[str, int]) -> None:
    tamar, levan = fresh_user(ids["tamar"]), fresh_user(ids["levan"])
    assert tamar.has_perm("flights.view_airport")
    assert tamar.has_perm("flights.view_flightreport")
    assert tamar.has_perm("reports.view_travellerreport")
    assert tamar.has_perm("reports.moderate_travellerreport")
    assert not tamar.has_perm("routes.view_airport")
    assert levan.has_perm("reports.moderate_travellerreport")
    assert not levan.has_perm("flights.view_airport")

    for label, names in MOVED_TO.items():
        assert not ContentType.objects.filter(app_label="routes", model__in=names)
        assert ContentType.objects.filter(app_label=label, model__in=names).count() == (
            len(names)
        )

    log = LogEntry.objects.get(pk=ids["log"])
    assert (log.content_type.app_label, log.content_type.model) == (
        "reports",
        "travellerreport",
    )
    assert log.get_edited_object().pk == ids["approved"]


def assert_constraint_names_match_new_models() -> None:
    fresh = fresh_constraint_names()
    for model in NEW_MODELS:
        table = model._meta.db_table
        in_database = constraint_names(table)
        declared = {c.name for c in model._meta.constraints}
        declared |= {index.name for index in model._meta.indexes}
        # A declared name the database lacks is one makemigrations would
        # "rename"; a name a table built from the new models lacks is a leftover.
        assert declared - in_database == set(), table
        assert in_database == fresh[table], table


# --- The test ---------------------------------------------------------------------


def test_moving_flights_and_reports_keeps_rows_permissions_and_names():
    require_services(postgres=True, redis=False)
    try:
        ids = seed_before_move(migrate_before_move())
        counts, checksum = row_counts(), history_checksum()
        print("\nrows before the move:", counts)
        assert counts["routes_crossingupdate"] >= 6

        migrate_to_leaves()

        assert row_counts() == counts
        assert history_checksum() == checksum
        assert_rows_readable_through_new_models(counts, ids)
        assert_history_append_only()
        assert_permissions_follow_the_models(ids)
        assert_constraint_names_match_new_models()

        # Undone, the permissions are the routes app's again; redone, they move back.
        migrate_before_move()
        assert row_counts() == counts
        assert fresh_user(ids["levan"]).has_perm("routes.moderate_travellerreport")
        assert not fresh_user(ids["levan"]).has_perm("reports.moderate_travellerreport")

        migrate_to_leaves()

        assert row_counts() == counts
        assert history_checksum() == checksum
        assert_permissions_follow_the_models(ids)
        print("rows after the round trip:", row_counts())
    finally:
        # The tests that follow expect the schema of the code they run against.
        migrate_to_leaves()


@pytest.mark.parametrize(
    "steps",
    [
        [("flights", "zero"), ("reports", "zero")],
        [("routes", BEFORE_MOVE[1]), ("reports", "zero"), ("flights", "zero")],
    ],
    ids=["flights-then-reports", "routes-first"],
)
def test_undoing_the_move_app_by_app_keeps_the_permissions(steps):
    # `migrate` takes one app at a time, and each run's post_migrate creates
    # content types for the models its end state puts back in routes while a
    # new app still claims them.
    require_services(postgres=True, redis=False)
    try:
        ids = seed_before_move(migrate_before_move())
        counts = row_counts()
        call_command("migrate", verbosity=0)

        for app_label, target in steps:
            call_command("migrate", app_label, target, verbosity=0)

        ContentType.objects.clear_cache()
        tamar, levan = fresh_user(ids["tamar"]), fresh_user(ids["levan"])
        assert tamar.has_perm("routes.view_airport")
        assert tamar.has_perm("routes.moderate_travellerreport")
        assert levan.has_perm("routes.moderate_travellerreport")
        # The moved models' content types are back in routes (models the new
        # apps added later keep theirs, stale, as Django leaves them).
        for label, moved in MOVED_TO.items():
            assert not ContentType.objects.filter(app_label=label, model__in=moved)
        log = LogEntry.objects.select_related("content_type").get(pk=ids["log"])
        assert log.content_type.app_label == "routes"
        assert row_counts() == counts

        call_command("migrate", verbosity=0)

        ContentType.objects.clear_cache()
        assert_permissions_follow_the_models(ids)
        assert row_counts() == counts
    finally:
        migrate_to_leaves()

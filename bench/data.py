"""Synthetic data for the read-side benchmark: large, clearly fake, bench DB only.

Never seed data: every slug starts with `bench-`, every airport code with Q, every
flight's source is `bench-synthetic`. Loaded with PostgreSQL COPY (a million rows
in seconds); the crossings' current state is then recorded through the one write
path, as everywhere else.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from advisories.models import Advisory, AdvisorySource
from routes.flights.models import FLIGHT_DETAIL_FIELDS, Airport, FlightReport
from routes.models import BorderCrossing, ExitRoute
from routes.services import crossing_update_record

CROSSINGS = 100
HOT_CROSSING = "bench-c000"  # half the history is on it: the ?at= worst case
COUNTRIES = ["GE", "KZ", "FI", "EE", "LV", "MN", "CN", "AZ", "BY", "NO"]
ORIGINS = 10
DESTINATIONS = 30
STATUSES = ["open", "restricted", "closed", "unknown"]
SIDES = ["ru", "neighbour"]
# The flight reports' columns as COPY takes them; each row is written in this order.
FLIGHT_COLUMNS = [
    "origin_id",
    "destination_id",
    *FLIGHT_DETAIL_FIELDS,
    "observed_at",
    "source",
    "source_ref",
    "source_url",
    "created_at",
    "updated_at",
]
TABLES = [
    "routes_flightreport",
    "routes_crossingupdate",
    "routes_exitroute",
    "routes_airport",
    "routes_bordercrossing",
    "advisories_advisoryrevision",
    "advisories_advisory",
    "advisories_advisorysource",
]


def _copy(table: str, columns: list[str], rows: io.StringIO) -> None:
    rows.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", rows
        )


def _iata(n: int) -> str:
    return "Q" + chr(65 + n // 26) + chr(65 + n % 26)


def load(*, flights: int, updates: int, seed: int = 2022) -> None:
    """Replace everything in the bench database with a fresh synthetic set."""
    rng = random.Random(seed)
    now = timezone.now()
    with connection.cursor() as cursor:
        # TRUNCATE, not DELETE: the history table is append-only (trigger).
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")

    crossings = BorderCrossing.objects.bulk_create(
        BorderCrossing(
            slug=f"bench-c{n:03d}",
            name_en=f"Bench crossing {n}",
            name_ru=f"Тестовый пункт {n}",
            neighbour_name_en=f"Other side {n}",
            neighbour_name_ru=f"Другая сторона {n}",
            country=COUNTRIES[n % len(COUNTRIES)],
            region_en="Synthetic region",
            region_ru="Синтетический регион",
            latitude=40 + n * 0.2,
            longitude=20 + n * 0.9,
            kind="road" if n % 5 else "rail",
            allows_car=True,
            allows_bus=n % 2 == 0,
            allows_truck=n % 3 == 0,
            allows_pedestrian=n % 4 == 0,
            hours="24h",
            restrictions_en="Synthetic benchmark row",
            restrictions_ru="Синтетическая строка для замеров",
            source="https://example.org/bench",
        )
        for n in range(CROSSINGS)
    )
    ExitRoute.objects.bulk_create(
        ExitRoute(
            slug=f"bench-r{n:03d}",
            name_en=f"Bench route {n}",
            name_ru=f"Тестовый маршрут {n}",
            origin_en="Moscow",
            origin_ru="Москва",
            crossing=crossings[n % CROSSINGS],
            destination_en=f"Destination {n}",
            destination_ru=f"Пункт назначения {n}",
            destination_country=COUNTRIES[n % len(COUNTRIES)],
            distance_km=500 + n,
            path=[[37.6, 55.7], [30 + n * 0.1, 50 - n * 0.05], [40.0, 42.0]],
            source="https://example.org/bench",
        )
        for n in range(150)
    )
    airports = Airport.objects.bulk_create(
        Airport(
            iata=_iata(n),
            name_en=f"Bench airport {n}",
            name_ru=f"Тестовый аэропорт {n}",
            city_en=f"City {n}",
            city_ru=f"Город {n}",
            country="RU" if n < ORIGINS else ["TR", "AM", "AE", "RS", "KZ"][n % 5],
            latitude=50 - n * 0.5,
            longitude=30 + n,
            source="https://example.org/bench",
        )
        for n in range(ORIGINS + DESTINATIONS)
    )
    for n, issuer in enumerate(["US", "GB", "DE"]):
        source = AdvisorySource.objects.create(
            key=f"bench-{issuer.lower()}",
            name_en=f"Bench {issuer}",
            name_ru=f"Тест {issuer}",
            issuer=issuer,
            url="https://example.org/bench",
            parser="bench",
        )
        Advisory.objects.create(
            source=source,
            target_country="RU",
            level=4 - n % 2,
            title=f"Synthetic advisory {issuer}",
            url="https://example.org/bench",
            published_at=now,
            content_hash=f"{n:064x}",
            fetched_at=now,
            changed_at=now,
        )

    _load_history(rng, crossings, updates, now)
    _load_flights(rng, airports, flights, now)
    # The current state comes last, through the write path, newer than history.
    for crossing in crossings:
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status=rng.choice(STATUSES[:3]),
            waits={"car": rng.randrange(0, 3000), "bus": rng.randrange(0, 600)},
            queue_length=rng.randrange(0, 4000),
            note="Synthetic benchmark update",
            observed_at=now - timedelta(minutes=rng.randrange(0, 600)),
        )
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _load_history(rng, crossings, total: int, now: datetime) -> None:
    hot, others = crossings[0], crossings[1:]
    span = timedelta(days=365).total_seconds()
    start = now - timedelta(days=365, hours=12)
    buffer = io.StringIO()
    per_crossing = [(hot, total // 2)] + [
        (c, (total - total // 2) // len(others)) for c in others
    ]
    for crossing, count in per_crossing:
        step = span / count
        previous = "unknown"
        for i in range(count):
            status = STATUSES[(i // 50) % 3]
            observed = start + timedelta(seconds=i * step)
            wait = rng.randrange(0, 3000)
            # Most rows are travellers' waits (no status claim); one in ten is a
            # claim about the Russian side, one in ten about the neighbour's.
            side = SIDES[i % 10] if i % 10 < len(SIDES) else '""'
            buffer.write(
                f"{crossing.pk},{status},{previous},{wait},,,,{wait * 2},"
                f'synthetic,"",traveller,"",{observed.isoformat()},'
                f"{observed.isoformat()},,bench,true,{side}\n"
            )
            previous = status
    _copy(
        "routes_crossingupdate",
        [
            "crossing_id",
            "status",
            "previous_status",
            "wait_car",
            "wait_bus",
            "wait_truck",
            "wait_pedestrian",
            "queue_length",
            "note",
            "note_ru",
            "source_kind",
            "source_url",
            "observed_at",
            "recorded_at",
            "actor_id",
            "actor_label",
            "applied",
            "side",
        ],  # fmt: skip
        buffer,
    )


def _load_flights(rng, airports, total: int, now: datetime) -> None:
    origins, destinations = airports[:ORIGINS], airports[ORIGINS:]
    today = timezone.localdate(now)
    buffer = io.StringIO()
    stamp = now.astimezone(UTC).isoformat()
    for n in range(total):
        origin = origins[n % ORIGINS]
        destination = destinations[(n // ORIGINS) % DESTINATIONS]
        departure = today + timedelta(days=rng.randrange(-60, 60))
        roll = rng.random()
        if roll < 0.15:
            # In COPY's CSV an empty field is NULL, a quoted one an empty string.
            availability, seats, price, currency = "sold_out", 0, "", '""'
        else:
            availability = "few" if roll < 0.4 else "available"
            seats = rng.randrange(1, 9)
            price = Decimal(rng.randrange(15000, 250000)).quantize(Decimal("1.00"))
            currency = "RUB" if roll < 0.9 else "USD"
        observed = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        row = {
            "origin_id": origin.pk,
            "destination_id": destination.pk,
            "departure_date": departure.isoformat(),
            "airline": "Bench Air",
            "flight_number": f"BA{n % 9000}",
            "availability": availability,
            "seats": seats,
            "price": price,
            "currency": currency,
            "observed_at": observed.isoformat(),
            "source": "bench-synthetic",
            "source_ref": n,
            "source_url": '""',
            "created_at": stamp,
            "updated_at": stamp,
        }
        buffer.write(",".join(str(row[name]) for name in FLIGHT_COLUMNS) + "\n")
    _copy("routes_flightreport", FLIGHT_COLUMNS, buffer)


def loaded(*, flights: int, updates: int) -> bool:
    """Whether the bench database already holds a full synthetic set."""
    return (
        FlightReport.objects.filter(source="bench-synthetic").count() == flights
        and BorderCrossing.objects.filter(slug=HOT_CROSSING).exists()
        and BorderCrossing.objects.get(slug=HOT_CROSSING).updates.count()
        >= updates // 2
    )

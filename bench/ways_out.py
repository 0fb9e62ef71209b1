"""Every way out for one traveller: GET /api/v1/ways-out/ over a million flight
reports and a million history rows.

In one process against PostgreSQL and Redis, on bench/data.py's synthetic set
(100 crossings, 1M history rows, 1M flight reports over 10 origin airports),
through the view the URL reaches, for a bench place served by one origin
airport (about 100,000 of the flight reports leave from it):

  * warm: the moment's shared facts are built (the first request of a minute
    builds them, as in production, with the origin's flights: a flight import
    bumps the version, so they are read once per minute and import) and the
    process has answered each kind of question once; then each request is one
    traveller's profile, cycling through every citizenship, document, visa,
    way of travelling and language: time and queries per request;
  * cold: the shared facts dropped before every request (a new minute, a new
    process): time and queries; the count must not grow with the crossings,
    so the bench adds 100 more crossings and counts again.

    .venv/bin/python bench/ways_out.py [--runs 201]

Prints p50/p99, the query counts and the target verdicts.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ensure_database  # noqa: E402
from read_side import add_dataset_arguments, configure, load_dataset  # noqa: E402

TARGET_P50_MS = 30.0
TARGET_P99_MS = 100.0
PLACE = "bench-origin"
# Every question a traveller may ask of one place (the valid combinations).
PROFILES = [
    {"citizenship": c, "document": d, "visa": v, "mode": m, "lang": lang}
    for c, d, v, m, lang in itertools.product(
        ("RU", "dual", "other"),
        ("passport", "internal"),
        ("none", "schengen"),
        ("car", "bus", "foot", "plane", ""),
        ("en", "ru"),
    )
    if not (d == "internal" and (c == "other" or v != "none"))
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=201)
    add_dataset_arguments(parser)
    args = parser.parse_args()
    configure(args)
    ensure_database(args.database_url)

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from routes.entry.models import EntryRule
    from routes.entry.seeding import entry_rules_load
    from routes.flights.models import Airport, FlightReport
    from routes.models import BorderCrossing, CrossingUpdate
    from routes.places.services import place_upsert
    from routes.seeding import SEED_DIR
    from routes.waysout.api import WaysOutView
    from routes.waysout.world import world_forget

    load_dataset(args)
    if not EntryRule.objects.exists():
        entry_rules_load(SEED_DIR / "entry")
    origin = Airport.objects.order_by("iata").first()
    place_upsert(
        slug=PLACE,
        name_en="Bench origin",
        name_ru="Тестовый город",
        region_en="Bench region",
        region_ru="Тестовый регион",
        region_code="RU-MOW",
        latitude=origin.latitude,
        longitude=origin.longitude,
        airports=[origin.iata],
        kind="airport-city",
        source_url="https://example.org/bench",
        source_date=date(2026, 1, 1),
    )
    cache.clear()
    view = WaysOutView.as_view()
    factory = RequestFactory()
    profiles = itertools.cycle(PROFILES)

    def request(*, cold: bool) -> tuple[float, int, int]:
        params = {"from": PLACE, **next(profiles)}
        get = factory.get("/api/v1/ways-out/", params)
        if cold:
            world_forget()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = view(get)
            response.render()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (params, response.content[:300])
        return elapsed, len(captured), len(response.data["ways"])

    request(cold=True)  # the first request of the minute builds the shared facts
    # Warm: the process has answered each kind of question once (each reason
    # is put into words once per language and process).
    for _ in range(len(PROFILES)):
        request(cold=False)
    warm = [request(cold=False) for _ in range(args.runs)]
    cold = [request(cold=True) for _ in range(max(11, args.runs // 10))]
    crossings = BorderCrossing.objects.count()
    print(
        f"data: {crossings} crossings, "
        f"{CrossingUpdate.objects.count():,} history rows, "
        f"{FlightReport.objects.count():,} flight reports; machine: "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} (shared)"
    )
    for name, runs in (("warm", warm), ("cold", cold)):
        times = [t for t, _, _ in runs]
        print(
            f"{name}: p50 {statistics.median(times):.1f} ms, "
            f"p99 {percentile(times, 0.99):.1f} ms, "
            f"queries {min(q for _, q, _ in runs)}–{max(q for _, q, _ in runs)}, "
            f"{statistics.median(w for _, _, w in runs):.0f} ways per answer "
            f"({len(runs)} requests)"
        )
    # The query count must not depend on the number of crossings.
    extra = [
        BorderCrossing(
            slug=f"bench-extra-{n:03d}",
            name_en=f"Extra {n}",
            name_ru=f"Доп. {n}",
            neighbour_name_en="Other side",
            neighbour_name_ru="Другая сторона",
            country="KZ",
            region_en="Bench",
            region_ru="Тест",
            latitude=50.0,
            longitude=60.0 + n * 0.1,
            kind="road",
            allows_car=True,
            source="https://example.org/bench",
        )
        for n in range(100)
    ]
    BorderCrossing.objects.bulk_create(extra)
    try:
        from exitwatch.lib.snapshot import snapshot_bump
        from routes.mapdoc.snapshot import snapshot_forget_local

        snapshot_bump()
        snapshot_forget_local()
        request(cold=True)  # the map document is rebuilt with the new crossings
        more = [request(cold=True) for _ in range(5)]
        print(
            f"cold with {BorderCrossing.objects.count()} crossings: queries "
            f"{max(q for _, q, _ in more)} (was {max(q for _, q, _ in cold)})"
        )
        constant = max(q for _, q, _ in more) == max(q for _, q, _ in cold)
    finally:
        BorderCrossing.objects.filter(slug__startswith="bench-extra-").delete()
        snapshot_bump()
    warm_times = [t for t, _, _ in warm]
    p50, p99 = statistics.median(warm_times), percentile(warm_times, 0.99)
    verdicts = (
        ("warm p50", p50 <= TARGET_P50_MS, f"≤ {TARGET_P50_MS:.0f} ms"),
        ("warm p99", p99 <= TARGET_P99_MS, f"≤ {TARGET_P99_MS:.0f} ms"),
        ("queries constant in the number of crossings", constant, ""),
    )
    print(
        "; ".join(
            f"{name} {target}: {'met' if ok else 'MISSED'}".replace("  ", " ")
            for name, ok, target in verdicts
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT destination_id, currency, MIN(price), COUNT(*) "
            "FROM routes_flightreport WHERE origin_id = %s AND departure_date >= "
            "CURRENT_DATE AND departure_date < CURRENT_DATE + 7 "
            "GROUP BY destination_id, currency",
            [origin.pk],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()

"""The map on a past date: GET /api/v1/map/?at= over a million history rows.

In one process against PostgreSQL and Redis, on bench/data.py's synthetic set
(100 crossings, 1M history rows, half of them on one crossing, 1M flight
reports), through the view the URL reaches:

  * cold: each run asks for a minute nobody asked for yet (spread over the
    history's year), so the document is built from the history, serialised,
    compressed and stored: time and database queries per request;
  * warm: the same minutes again: time and queries (the target is none).

    .venv/bin/python bench/map_at.py [--runs 31]

Prints medians and the target verdicts; EXPLAIN ANALYZE of the per-side lookup.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ensure_database  # noqa: E402
from read_side import add_dataset_arguments, configure, load_dataset  # noqa: E402

TARGET_COLD_MS = 50.0
TARGET_WARM_QUERIES = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=31)
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
    from django.utils import timezone

    from bench import data
    from routes.mapdoc.api import map_snapshot
    from routes.models import CrossingUpdate

    load_dataset(args)
    cache.clear()
    factory = RequestFactory()
    now = timezone.now()
    # Minutes spread over the history's year, none asked for before this run.
    moments = [
        (now - timedelta(days=360) + timedelta(days=i * 350 / args.runs))
        .replace(second=0, microsecond=0)
        .strftime("%Y-%m-%dT%H:%M:00Z")
        for i in range(args.runs)
    ]

    def request(at: str) -> tuple[float, int, int]:
        get = factory.get("/api/v1/map/", {"at": at}, HTTP_ACCEPT_ENCODING="gzip")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = map_snapshot(get)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (at, response.status_code)
        return elapsed, len(captured), len(response.content)

    cold = [request(at) for at in moments]
    warm = [request(at) for at in moments]
    print(
        f"history: {CrossingUpdate.objects.count():,} rows; machine: "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} (shared)"
    )
    for name, runs in (("cold", cold), ("warm", warm)):
        times = sorted(t for t, _, _ in runs)
        print(
            f"{name}: p50 {statistics.median(times):.1f} ms, "
            f"p90 {times[int(len(times) * 0.9)]:.1f} ms, "
            f"queries {max(q for _, q, _ in runs)} (max), "
            f"{statistics.median(b for _, _, b in runs):,.0f} bytes gzip"
        )
    cold_p50 = statistics.median(t for t, _, _ in cold)
    warm_queries = max(q for _, q, _ in warm)
    print(
        f"cold p50 ≤ {TARGET_COLD_MS:.0f} ms: "
        f"{'met' if cold_p50 <= TARGET_COLD_MS else 'MISSED'}; "
        f"warm queries = {TARGET_WARM_QUERIES}: "
        f"{'met' if warm_queries == TARGET_WARM_QUERIES else 'MISSED'}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT id FROM routes_crossingupdate WHERE crossing_id = "
            "(SELECT id FROM routes_bordercrossing WHERE slug = %s) "
            "AND side = 'ru' AND observed_at <= %s "
            "ORDER BY observed_at DESC, id DESC LIMIT 1",
            [data.HOT_CROSSING, now - timedelta(days=180)],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()

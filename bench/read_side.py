"""Read-side benchmark: the map snapshot against a static file and a plain DRF list.

Runs the app as production would (DEBUG off, PostgreSQL, Redis, gunicorn) on
loopback, on a synthetic data set in its own database (bench/data.py: 100
crossings, 1M flight reports, 1M history rows), and measures with wrk:

  * /api/v1/map/ warm, the same gzip bytes as a static file through WhiteNoise in
    the same gunicorn, /api/v1/crossings/ and a plain DRF ModelSerializer list of
    the same rows (bench/baseline.py): req/s, p50/p99, ratios; medians of runs;
  * /api/v1/flights/summary/ over 1M reports and history ?at= over 1M updates,
    one connection, with EXPLAIN ANALYZE of their queries.

    .venv/bin/python bench/read_side.py [--port 8101] [--duration 5] [--runs 3]

Needs `wrk` (apt-get install wrk), a PostgreSQL it may create a database on and
a Redis. Every process it starts is stopped before it exits.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from harness import ensure_database

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"map/static": 0.8, "map/plain": 8.0, "summary_ms": 50.0, "at_ms": 10.0}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def configure(args: argparse.Namespace) -> dict[str, str]:
    env = {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_SECURE_COOKIES": "0",
        "CACHE_KEY_PREFIX": "exitwatch-bench",
        # One client hammers the API: lift the throttles' limits (the throttles
        # themselves, with their cache round trips, still run).
        "API_ANON_RATE": "100000000/second",
        "API_USER_RATE": "100000000/second",
        "LOG_LEVEL": "WARNING",
        # The production settings with bench's own urlconf, which adds the
        # everyday-Django baseline endpoint (bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    return env


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    """The synthetic data set's size and where it lives: every bench on it."""
    parser.add_argument("--flights", type=int, default=1_000_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exitwatch_bench"
        ),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
    )


def load_dataset(args: argparse.Namespace) -> None:
    """Migrate the bench database and load the data set unless it is there."""
    from django.core.management import call_command

    from bench import data

    call_command("migrate", verbosity=0)
    if args.regenerate or not data.loaded(flights=args.flights, updates=args.updates):
        print(f"loading {args.flights:,} flight reports, {args.updates:,} updates…")
        started = time.monotonic()
        data.load(flights=args.flights, updates=args.updates)
        print(f"  loaded in {time.monotonic() - started:.0f} s")


def prepare(args: argparse.Namespace) -> bytes:
    """Migrate, load the data set if needed, build the snapshot, write the file."""
    import django

    django.setup()
    from django.conf import settings

    from exitwatch.lib.snapshot import snapshot_bump
    from routes.mapdoc.snapshot import snapshot_current

    load_dataset(args)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from routes.mapdoc.snapshot import snapshot_build

    builds = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            snapshot_build(version="bench")
        builds.append((time.perf_counter() - started) * 1000)
    print(
        f"cold snapshot build: {statistics.median(builds):.0f} ms median of 3, "
        f"{len(captured)} queries"
    )
    snapshot_bump()
    snapshot = snapshot_current().full
    static = Path(settings.STATIC_ROOT) / "bench"
    static.mkdir(parents=True, exist_ok=True)
    # The same bytes: WhiteNoise serves the .gz to clients that accept gzip.
    (static / "map-snapshot.json").write_bytes(snapshot.identity_body)
    (static / "map-snapshot.json.gz").write_bytes(snapshot.gzip_body)
    return snapshot.gzip_body


def start_gunicorn(args: argparse.Namespace) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "exitwatch.wsgi",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers), "--worker-class", "gthread",
        "--threads", str(args.threads), "--no-control-socket",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(url(args, "/api/v1/map/"), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer within 20 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def url(args: argparse.Namespace, path: str) -> str:
    return f"http://127.0.0.1:{args.port}{path}"


def fetch(args: argparse.Namespace, path: str, gzip: bool = True) -> tuple[int, bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    request = urllib.request.Request(url(args, path), headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def wrk(args: argparse.Namespace, path: str, connections: int, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", "Accept-Encoding: gzip", url(args, path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw errors on {path}:\n{output}")
    percentiles = {
        int(p): float(v) * UNITS[u]
        for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)$", output, re.M)
    }
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentiles[50],
        "p99": percentiles[99],
    }


def explain(paths: list[str]) -> None:
    """EXPLAIN ANALYZE every query an endpoint runs (in-process, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        print(f"\n--- EXPLAIN ANALYZE: {path}")
        for query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
            print()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--recheck-ms",
        type=int,
        help="MAP_SNAPSHOT_RECHECK_MS for the run (default: the setting's, 20 ms)",
    )
    add_dataset_arguments(parser)
    args = parser.parse_args()
    configure(args)
    if args.recheck_ms is not None:
        os.environ["MAP_SNAPSHOT_RECHECK_MS"] = str(args.recheck_ms)
    ensure_database(args.database_url)
    snapshot_gzip = prepare(args)

    from django.utils import timezone

    from bench.data import HOT_CROSSING

    at = (timezone.now() - timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    endpoints = {
        "map": "/api/v1/map/",
        "static": "/static/bench/map-snapshot.json",
        "crossings": "/api/v1/crossings/?page_size=500",
        "plain": "/api/v1/bench/plain-crossings/",
    }
    timed = {
        "summary": "/api/v1/flights/summary/",
        "summary_filter": "/api/v1/flights/summary/?origin=QAA&destination_country=TR",
        "at": f"/api/v1/crossings/{HOT_CROSSING}/history/?at={at}",
    }
    print(
        f"machine: {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (shared with others)"
    )
    from django.conf import settings

    print(
        f"gunicorn gthread {args.workers} workers × {args.threads} threads; wrk "
        f"-t1 -c{args.connections} {args.duration}s × {args.runs} runs, interleaved; "
        f"MAP_SNAPSHOT_RECHECK_MS={settings.MAP_SNAPSHOT_RECHECK_MS}"
    )
    process = start_gunicorn(args)
    try:
        for name, path in endpoints.items():
            status, body = fetch(args, path)
            assert status == 200, (name, status)
            print(f"  {name:<10} {path}  {len(body):,} bytes")
        assert fetch(args, endpoints["map"])[1] == snapshot_gzip
        assert fetch(args, endpoints["static"])[1] == snapshot_gzip
        results: dict[str, list[dict]] = {name: [] for name in endpoints}
        for _ in range(args.runs):
            for name, path in endpoints.items():
                results[name].append(wrk(args, path, args.connections, args.duration))
        latency = {
            name: [wrk(args, path, 1, 3) for _ in range(args.runs)]
            for name, path in timed.items()
        }
    finally:
        stop(process)

    print(f"\n{'endpoint':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}   (medians)")
    rps = {}
    for name, runs in {**results, **latency}.items():
        rps[name] = median(runs, "rps")
        print(
            f"{name:<18}{rps[name]:>10.0f}{median(runs, 'p50'):>10.2f}"
            f"{median(runs, 'p99'):>10.2f}"
        )
    ratios = {
        "map/static": rps["map"] / rps["static"],
        "map/plain": rps["map"] / rps["plain"],
        "map/crossings": rps["map"] / rps["crossings"],
        "crossings/plain": rps["crossings"] / rps["plain"],
    }
    print()
    for name, ratio in ratios.items():
        target = TARGETS.get(name)
        verdict = (
            ""
            if target is None
            else (f"  target ≥ {target}: {'met' if ratio >= target else 'MISSED'}")
        )
        print(f"{name:<18}{ratio:>8.2f}×{verdict}")
    for name, key in (("summary", "summary_ms"), ("at", "at_ms")):
        p50 = median(latency[name], "p50")
        verdict = "met" if p50 <= TARGETS[key] else "MISSED"
        print(f"{name + ' p50':<18}{p50:>8.2f} ms  target ≤ {TARGETS[key]:.0f} ms: "
              f"{verdict}")  # fmt: skip
    explain(list(timed.values()))


if __name__ == "__main__":
    main()

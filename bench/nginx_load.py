"""Load through the real nginx config vs nginx serving the same bytes as a file.

    .venv/bin/python bench/nginx_load.py [--path /api/v1/map/] [--seconds 6] [--runs 3]

Starts, on loopback: a redis-server of its own, gunicorn (production settings,
PostgreSQL from BENCH_DATABASE_URL, default the exitwatch_prod database), and nginx
from deploy/nginx (rendered by deploy/nginx/render, as docker-compose does). Then,
in rounds, wrk against
  1. nginx -> the path (micro-cache in front of gunicorn),
  2. nginx -> the same gzip bytes saved to a file (a plain static location),
  3. nginx -> that file sent with the app's own response headers (CSP, ETag,
     Cache-Control...), so that the response bytes, not only the body, are equal,
  4. gunicorn directly (what the read-side benchmark measures),
and prints req/s, p50/p99 and the ratios nginx-path / static (target >= 0.85
against the plain static file), medians over the rounds (a ratio: the median of
each round's own ratio). About 4 x runs x seconds (default 5 x 4 s: 80 s), plus
~15 s of set-up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness import (
    GUNICORN_PORT,
    NGINX_PORT,
    Servers,
    app_env,
    fetch,
    manage,
    median,
    wrk,
)

GZIP = {"Accept-Encoding": "gzip"}
# Headers nginx writes itself (or that only the cache adds), not copied to the file.
OWN_HEADERS = {
    "server",
    "date",
    "connection",
    "content-length",
    "content-type",
    "transfer-encoding",
    "x-cache",
}


def static_location(name: str, path: Path, headers: dict[str, str]) -> str:
    """An nginx location sending `path` (gzip bytes) with `headers` added."""
    lines = [
        f"location = /__bench/{name} {{",
        f"    alias {path};",
        "    default_type application/json;",
        "    gzip off;  # the bytes are gzip already",
    ]
    if "ETag" in headers:
        lines.append("    etag off;  # the app's own ETag is added below")
    for key, value in headers.items():
        if key.lower() not in OWN_HEADERS:
            quoted = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'    add_header {key} "{quoted}";')
    return "\n".join([*lines, "}", ""])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/api/v1/map/")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    # 1: nginx alone on one core, wrk on the other (its own cost, isolated);
    # "auto" (one per core) is what deploy/nginx/render gives docker-compose.
    parser.add_argument("--nginx-workers", default="1")
    args = parser.parse_args()

    env = app_env()
    with Servers() as servers:
        servers.redis()
        manage("migrate", "--noinput", env=env)
        manage("seed", env=env)
        servers.gunicorn(env)
        direct = f"http://127.0.0.1:{GUNICORN_PORT}{args.path}"
        status, app_headers, body = fetch(direct, GZIP)
        if status != 200:
            print(f"{args.path} answered {status}: nothing to measure")
            return 1
        copy = servers.workdir / "static-copy.gz"
        copy.write_bytes(body)
        plain = {
            "Content-Encoding": app_headers.get("Content-Encoding", "identity"),
            "Vary": "Accept-Encoding",
        }
        servers.nginx(
            extra_conf=static_location("static-copy", copy, plain)
            + static_location("static-same-headers", copy, app_headers),
            workers=args.nginx_workers,
        )
        via_nginx = f"http://127.0.0.1:{NGINX_PORT}{args.path}"
        static = f"http://127.0.0.1:{NGINX_PORT}/__bench/static-copy"
        same = f"http://127.0.0.1:{NGINX_PORT}/__bench/static-same-headers"
        _, headers, nginx_body = fetch(via_nginx, GZIP)
        assert nginx_body == body, "nginx and gunicorn sent different bodies"
        for url in (static, same):
            s_status, _, s_body = fetch(url, GZIP)
            assert s_status == 200 and s_body == body, f"{url}: the copy differs"
        print(
            f"path {args.path}: {len(body)} bytes as sent "
            f"(Content-Encoding: {headers.get('Content-Encoding', 'identity')}), "
            f"{len(app_headers)} headers from the app, X-Cache {headers.get('X-Cache')}"
        )

        targets = {
            "nginx->app": via_nginx,
            "nginx static": static,
            "static+hdrs": same,
            "gunicorn": direct,
        }
        results: dict[str, list[dict]] = {name: [] for name in targets}
        for url in targets.values():  # warm-up
            wrk(url, seconds=1, connections=args.connections, headers=GZIP)
        for round_number in range(args.runs):
            # Alternate the order so neither side always runs first.
            order = list(targets.items())
            if round_number % 2:
                order = [order[2], order[1], order[0], order[3]]
            for name, url in order:
                results[name].append(
                    wrk(
                        url,
                        seconds=args.seconds,
                        connections=args.connections,
                        headers=GZIP,
                    )
                )
        print(
            f"wrk -t2 -c{args.connections} -d{args.seconds}s, nginx workers "
            f"{args.nginx_workers}, {args.runs} rounds, medians:"
        )
        rps = {}
        for name, runs in results.items():
            rps[name] = median([r["rps"] for r in runs])
            bad = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in runs)
            print(
                f"  {name:13} {rps[name]:9.0f} req/s  "
                f"p50 {median([r['p50'] for r in runs]):6.2f} ms  "
                f"p99 {median([r['p99'] for r in runs]):6.2f} ms  "
                f"errors {bad}  (rounds: "
                + ", ".join(f"{r['rps']:.0f}" for r in runs)
                + ")"
            )

        # Other work on the machine shifts whole rounds: compare within a round.
        def round_ratios(other: str) -> list[float]:
            return [
                a["rps"] / b["rps"]
                for a, b in zip(results["nginx->app"], results[other], strict=True)
            ]

        ratios = round_ratios("nginx static")
        ratio = median(ratios)
        print(
            f"ratio nginx->app / nginx static: {ratio:.2f} median of rounds "
            f"({', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.85)"
        )
        same_ratios = round_ratios("static+hdrs")
        print(
            f"ratio nginx->app / static+hdrs:  {median(same_ratios):.2f} median of "
            f"rounds ({', '.join(f'{r:.2f}' for r in same_ratios)})"
        )
        print(
            f"ratio nginx->app / gunicorn:     "
            f"{rps['nginx->app'] / rps['gunicorn']:.2f}"
        )
        return 0 if ratio >= 0.85 else 2


if __name__ == "__main__":
    sys.exit(main())

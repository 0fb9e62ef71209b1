"""Load through the real nginx config vs nginx serving the same bytes as a file.

    .venv/bin/python bench/nginx_load.py [--path /api/v1/map/] [--seconds 6] [--runs 3]

Starts, on loopback: a redis-server of its own, gunicorn (production settings,
PostgreSQL from BENCH_DATABASE_URL, default the exitwatch_prod database), and nginx
from deploy/nginx (rendered by deploy/nginx/render, as docker-compose does). Then,
in rounds, wrk against
  1. nginx -> the path (micro-cache in front of gunicorn),
  2. nginx -> the same gzip bytes saved to a file (a static location),
  3. gunicorn directly (what the read-side benchmark measures),
and prints req/s, p50/p99 and the ratio nginx-path / nginx-static (target >= 0.85),
medians over the rounds (the ratio: median of each round's own ratio). About
3 x runs x seconds (default 5 x 4 s: one minute), plus ~15 s of set-up.
"""

from __future__ import annotations

import argparse
import sys

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/api/v1/map/")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    env = app_env()
    with Servers() as servers:
        servers.redis()
        manage("migrate", "--noinput", env=env)
        manage("seed", env=env)
        servers.gunicorn(env)
        copy = servers.workdir / "static-copy.gz"
        servers.nginx(
            extra_conf=f"""
location = /__bench/static-copy {{
    alias {copy};
    default_type application/json;
    gzip off;  # the bytes are gzip already
    add_header Content-Encoding gzip;
    add_header Vary Accept-Encoding;
}}
"""
        )
        via_nginx = f"http://127.0.0.1:{NGINX_PORT}{args.path}"
        status, headers, body = fetch(via_nginx, GZIP)
        if status != 200:
            print(f"{args.path} answered {status} through nginx: nothing to measure")
            return 1
        copy.write_bytes(body)
        static = f"http://127.0.0.1:{NGINX_PORT}/__bench/static-copy"
        direct = f"http://127.0.0.1:{GUNICORN_PORT}{args.path}"
        s_status, s_headers, s_body = fetch(static, GZIP)
        assert s_status == 200 and s_body == body, "static copy differs"
        print(
            f"path {args.path}: {len(body)} bytes as sent "
            f"(Content-Encoding: {headers.get('Content-Encoding', 'identity')}), "
            f"X-Cache {headers.get('X-Cache')}"
        )

        targets = {"nginx->app": via_nginx, "nginx static": static, "gunicorn": direct}
        results: dict[str, list[dict]] = {name: [] for name in targets}
        for url in targets.values():  # warm-up
            wrk(url, seconds=1, connections=args.connections, headers=GZIP)
        for round_number in range(args.runs):
            # Alternate the order so neither side always runs first.
            order = list(targets.items())
            if round_number % 2:
                order = [order[1], order[0], order[2]]
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
            f"wrk -t2 -c{args.connections} -d{args.seconds}s, "
            f"{args.runs} rounds, medians:"
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
        ratios = [
            a["rps"] / b["rps"]
            for a, b in zip(results["nginx->app"], results["nginx static"], strict=True)
        ]
        ratio = median(ratios)
        print(
            f"ratio nginx->app / nginx static: {ratio:.2f} median of rounds "
            f"({', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.85)"
        )
        print(
            f"ratio nginx->app / gunicorn:     "
            f"{rps['nginx->app'] / rps['gunicorn']:.2f}"
        )
        return 0 if ratio >= 0.85 else 2


if __name__ == "__main__":
    sys.exit(main())

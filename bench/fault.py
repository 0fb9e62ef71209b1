"""Redis stopped for 30 s under load: no 5xx, and a write made meanwhile is kept and
its queued task runs once Redis is back.

    .venv/bin/python bench/fault.py [--paths /api/v1/map/ /api/v1/crossings/]

Starts on loopback a redis-server of its own, gunicorn (production settings), nginx
from deploy/nginx, a Celery worker and beat, all on that Redis. wrk loads the paths
through nginx for 45 s; Redis is killed at 5 s and started again (empty) at 35 s.
During the outage a crossing update goes through the write path with a task queued
through the outbox. Prints the status counts, then checks that the update is stored,
and that the task was sent and run by the worker. About 70 s.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import NGINX_PORT, PYTHON, ROOT, Servers, app_env, fetch, manage

HERE = Path(__file__).resolve().parent

WRITE = """
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from django.db import transaction
from routes.models import BorderCrossing
from routes.services import crossing_update_record
crossing = BorderCrossing.objects.order_by("slug").first()
with transaction.atomic():
    crossing_update_record(crossing=crossing, source_kind="staff", status="closed",
                           note="fault-bench", actor_label="fault-bench")
    message = outbox_enqueue(task="outbox.drain")
print(crossing.slug, message.pk)
"""

CHECK = """
from outbox.models import OutboxMessage
from routes.models import BorderCrossing
m = OutboxMessage.objects.get(pk={pk})
c = BorderCrossing.objects.get(slug={slug!r})
print(c.status, c.note, bool(m.sent_at), m.attempts)
"""


def shell(code: str, env: dict) -> str:
    return (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--paths",
        nargs="+",
        default=["/api/v1/map/", "/api/v1/crossings/", "/", "/lite/"],
    )
    parser.add_argument("--outage", type=int, default=30)
    parser.add_argument("--settle", type=int, default=60)
    args = parser.parse_args()
    env = app_env(CACHE_RETRY_AFTER_SECONDS="1")
    with Servers() as servers:
        servers.redis()
        manage("migrate", "--noinput", env=env)
        manage("seed", env=env)
        servers.gunicorn(env)
        servers.nginx()
        servers.start(
            "worker",
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "exitwatch",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
            ],
            env,
        )
        celery = str(ROOT / ".venv/bin/celery")
        schedule = str(servers.workdir / "beat-schedule")
        servers.start(
            "beat", [celery, "-A", "exitwatch", "beat", "--schedule", schedule], env
        )
        base = f"http://127.0.0.1:{NGINX_PORT}"
        paths = [p for p in args.paths if fetch(base + p)[0] == 200]
        skipped = sorted(set(args.paths) - set(paths))
        print(
            f"loading {paths}"
            + (f" (not on this branch: {skipped})" if skipped else "")
        )
        seconds = args.outage + 15
        out: dict[str, str] = {}

        def load() -> None:
            out["wrk"] = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c16",
                    f"-d{seconds}s",
                    "--timeout",
                    "5s",
                    "-s",
                    str(HERE / "status.lua"),
                    base,
                    "--",
                    *paths,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 30,
            ).stdout

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(5)
        servers.stop("redis", signal.SIGKILL)
        print("t=5s   redis killed")
        time.sleep(3)
        slug, pk = shell(WRITE, env).split()
        print(f"t=~9s  during the outage: {slug} set to closed, outbox message {pk}")
        print(
            f"       stored: {shell(CHECK.format(pk=pk, slug=slug), env)}"
            "  (status, note, sent?, failed attempts)"
        )
        time.sleep(max(0, args.outage - 4))
        servers.redis()
        print(f"t={5 + args.outage}s  redis started again (empty)")
        loader.join()
        status = [ln for ln in out["wrk"].splitlines() if ln.startswith("STATUS")]
        print(
            "wrk through nginx:",
            *status,
            "|",
            [ln.strip() for ln in out["wrk"].splitlines() if "requests in" in ln],
        )
        ok = "5xx=0" in out["wrk"]
        deadline = time.monotonic() + args.settle
        state = ""
        while time.monotonic() < deadline:
            state = shell(CHECK.format(pk=pk, slug=slug), env)
            if state.split()[2] == "True":
                break
            time.sleep(2)
        print(f"after recovery: {state}")
        sent = state.split()[2] == "True"
        worker_ran = "Task outbox.drain" in servers.log(
            "worker"
        ) and "succeeded" in servers.log("worker")
        print(
            f"outbox message sent after recovery: {sent}; "
            f"worker ran outbox.drain: {worker_ran}"
        )
        ok = ok and sent and worker_ran and state.startswith("closed")
        if not ok:
            for name in ("worker", "beat"):
                print(f"--- {name} log (end) ---\n{servers.log(name)[-1200:]}")
        print("RESULT", "ok" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

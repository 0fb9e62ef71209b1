"""Redis stopped for 30 s under load: no 5xx, and a traveller report sent meanwhile
is kept and its moderators' notice is sent once Redis is back.

    .venv/bin/python bench/fault.py [--paths /api/v1/map/ /api/v1/crossings/]

Starts on loopback a redis-server of its own, gunicorn (production settings), nginx
from deploy/nginx, a Celery worker and beat, all on that Redis. wrk loads the paths
through nginx for 45 s; Redis is killed at 5 s and started again (empty) at 35 s.
During the outage a traveller report is submitted over HTTP through nginx (a form
token from the API, then POST /api/v1/reports/): it must be stored (201). Prints
the status counts, then checks that after the outage beat's sweep ran on the
worker, e-mailed the moderators (file backend, into the bench's work directory)
and marked the report notified. No e-mail tells of a report before its 5-minute
step is over (privacy: docs/background-refresh.md), so that part takes up to 6
more minutes: about 2-7 minutes in all.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import NGINX_PORT, PYTHON, ROOT, Servers, app_env, fetch, manage

HERE = Path(__file__).resolve().parent

NOTE = "fault-bench: sent while Redis was down"
FIRST_CROSSING = """
from routes.models import BorderCrossing
print(BorderCrossing.objects.order_by("slug").first().slug)
"""
# The report, and whether the moderators were told of it.
CHECK = """
from routes.reports.models import TravellerReport
r = TravellerReport.objects.get(public_id="{pk}")
print(r.state, bool(r.moderators_notified_at))
"""
FORGET_REPORTS = """
from routes.reports.models import TravellerReport
print(TravellerReport.objects.all().delete()[0])
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
    # After the outage: the report's 5-minute step, then the minute sweep.
    parser.add_argument("--settle", type=int, default=420)
    args = parser.parse_args()
    with Servers() as servers:
        mailbox = servers.workdir / "mail"
        env = app_env(
            CACHE_RETRY_AFTER_SECONDS="1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mailbox),
            REPORT_MODERATOR_EMAILS="moderators@exitwatch.invalid",
            REPORT_NOTIFY_INTERVAL="300",
        )
        servers.redis()
        manage("migrate", "--noinput", env=env)
        manage("seed", env=env)
        # The bench database outlives a run: an earlier run's e-mail must not
        # hold this one back for the interval.
        shell(FORGET_REPORTS, env)
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
        slug = shell(FIRST_CROSSING, env)
        time.sleep(3)
        code, token = fetch(f"{base}/api/v1/reports/form-token/")[::2]
        report = {
            "crossing": slug,
            "mode": "car",
            "status_seen": "open",
            "wait_minutes": 95,
            "note": NOTE,
            "form_token": json.loads(token)["form_token"] if code == 200 else "",
        }
        code, _headers, body = fetch(f"{base}/api/v1/reports/", json_body=report)
        pk = json.loads(body)["id"] if code == 201 else ""
        print(f"t=~9s  during the outage: report to {slug} answered {code}, id {pk}")
        check = CHECK.format(pk=pk)
        stored = shell(check, env) if pk else "not stored"
        print(f"       stored: {stored}")
        print("       (state, moderators told?)")
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
        ok = "5xx=0" in out["wrk"] and code == 201
        deadline = time.monotonic() + args.settle
        state = ""
        while pk and time.monotonic() < deadline:
            state = shell(check, env)
            if state.split()[-1] == "True":
                break
            time.sleep(2)
        waited = time.monotonic() - deadline + args.settle
        print(f"after recovery ({waited:.0f} s after the load ended): {state}")
        fields = state.split()
        notified = fields[-1:] == ["True"]
        worker_log = (servers.workdir / "worker.log").read_text(errors="replace")
        worker_ran = any(
            "Task routes.reports.tasks.notify_moderators" in line
            and "'status': 'sent'" in line
            for line in worker_log.splitlines()
        )
        mails = sorted(mailbox.glob("*.log")) if mailbox.exists() else []
        told = [
            m for m in mails if "wait" in m.read_text() and NOTE not in m.read_text()
        ]
        print(
            f"worker e-mailed the moderators after recovery: {worker_ran}; "
            f"report marked notified: {notified}; "
            f"e-mail files: {len(mails)} (without the note: {len(told)})"
        )
        if told:
            subject = next(
                ln
                for ln in told[-1].read_text().splitlines()
                if ln.startswith("Subject:")
            )
            print(f"       {subject}")
        ok = ok and fields[:1] == ["pending"] and notified and worker_ran
        ok = ok and bool(told)
        if not ok:
            for name in ("worker", "beat"):
                print(f"--- {name} log (end) ---\n{servers.log(name)[-1200:]}")
        print("RESULT", "ok" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

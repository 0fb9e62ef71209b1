"""A Celery worker SIGKILLed 20 times during advisory refreshes: no refresh lost,
no row stored twice.

    .venv/bin/python bench/worker_kill.py [--kills 20] [--seed 7]

Starts on loopback (ports 8600-8699) a redis-server of its own and the fake feed
server with the recorded samples of the four advisory feeds, every request held
for --delay seconds so the worker is mid-fetch or mid-write when it dies. The
database is BENCH_DATABASE_URL (default exitwatch_kill, migrated here; its
advisories are deleted first). Celery runs with short limits
(CELERY_TASK_TIME_LIMIT=6, CELERY_VISIBILITY_TIMEOUT=7) so a killed task comes
back within seconds.

Each round queues one refresh per source, waits until the feed server has seen a
request of the round, waits a random 0..--spread (1) seconds more, SIGKILLs the
worker's whole process group and starts a new worker, which takes the round's
tasks over (the killed one after the visibility timeout). The round ends when
every task of it has finished. The worker left after the last kill drains the rest.

Completed: a task id whose run returned "ok" or "not_modified" (the worker logs
each success with its result; tasks keep no result backend). A task that returned
"busy" or "failed", raised, was given up after the delivery cap, or never finished
is lost. The database is checked too: after each round every source's
last_success_at is later than the round's start. About 3 minutes.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import ROOT, app_env, logs_done

sys.path.insert(0, str(ROOT))

PORTS = "8600-8699"
LIMITS = {"CELERY_TASK_TIME_LIMIT": "6", "CELERY_VISIBILITY_TIMEOUT": "7"}
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/exitwatch_kill"
TASK = "advisories.tasks.refresh_advisory_source"
SUCCEEDED = re.compile(
    rf"Task {re.escape(TASK)}\[([0-9a-f-]+)\] succeeded in [\d.]+s: (\{{.*\}})"
)
RECEIVED = re.compile(rf"Task {re.escape(TASK)}\[([0-9a-f-]+)\] received")
GAVE_UP = re.compile(rf"gave up on {re.escape(TASK)}\[([0-9a-f-]+)\]")
RAISED = re.compile(rf"Task {re.escape(TASK)}\[([0-9a-f-]+)\] (?:raised|retry)")
DONE = ("ok", "not_modified")


@dataclass
class Outcomes:
    """What the workers' logs say happened to each task id."""

    received: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, list[str]] = field(default_factory=dict)
    gave_up: set[str] = field(default_factory=set)
    raised: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, logs: list[Path]) -> Outcomes:
        found = cls()
        for log in logs:
            text = log.read_text(errors="replace")
            for task_id in RECEIVED.findall(text):
                found.received[task_id] = found.received.get(task_id, 0) + 1
            for task_id, result in SUCCEEDED.findall(text):
                status = ast.literal_eval(result).get("status", "?")
                found.statuses.setdefault(task_id, []).append(status)
            found.gave_up.update(GAVE_UP.findall(text))
            found.raised.update(RAISED.findall(text))
        return found

    def finished(self, task_id: str) -> bool:
        return (
            task_id in self.statuses
            or task_id in self.gave_up
            or task_id in self.raised
        )

    def completed(self, task_id: str) -> bool:
        return any(s in DONE for s in self.statuses.get(task_id, []))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.25, help="per request, s")
    parser.add_argument("--spread", type=float, default=1.0, help="kill jitter, s")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    # Read by tests.support.feedserver on import.
    os.environ["EXITWATCH_TEST_PORTS"] = PORTS
    from tests.support.feedserver import SAMPLE_COUNTS, FeedServer, serve_samples
    from tests.support.waiting import wait_for
    from tests.support.workerproc import PrivateRedis, free_port, worker_start

    redis_server = PrivateRedis(free_port(PORTS))
    env = app_env(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
        REDIS_URL=redis_server.url,
        CACHE_KEY_PREFIX="exitwatch-kill",
        LOG_LEVEL="INFO",  # the worker logs each task's result at INFO
        **LIMITS,
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "exitwatch.settings"
    workdir = Path(tempfile.mkdtemp(prefix="exitwatch-kill-"))
    feeds: FeedServer | None = None
    workers = []
    started = time.monotonic()
    try:
        redis_server.start()
        feeds = FeedServer()
        urls = serve_samples(feeds)
        for route in feeds.routes.values():
            route.delay = args.delay

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from advisories.models import Advisory, AdvisorySource
        from advisories.tasks import refresh_advisory_source
        from exitwatch.lib.jobs import enqueue

        call_command("migrate", verbosity=0)
        Advisory.objects.all().delete()  # revisions go with them
        for key, url in urls.items():
            AdvisorySource.objects.filter(key=key).update(
                url=url,
                enabled=True,
                etag="",
                last_modified="",
                last_attempt_at=None,
                last_success_at=None,
                last_error_at=None,
                last_error="",
                items_seen=0,
                items_changed=0,
            )
        keys = list(SAMPLE_COUNTS)

        def start_worker():
            number = len(workers)
            worker = worker_start(
                env=env,
                log=workdir / f"worker-{number}.log",
                hostname=f"kill-{number}-{os.getpid()}@127.0.0.1",
            )
            workers.append(worker)
            return worker

        def logs() -> list[Path]:
            return [w.log for w in workers]

        enqueued: list[str] = []
        rounds_confirmed = 0
        unfinished_rounds = 0
        worker = start_worker()
        print(f"{args.kills} kills, {args.delay} s per feed request, seed {args.seed}")
        for round_number in range(1, args.kills + 1):
            round_start = timezone.now()
            seen = len(feeds.requests)
            ids = [enqueue(refresh_advisory_source, key) for key in keys]
            enqueued += ids
            wait_for(
                lambda seen=seen: len(feeds.requests) > seen,
                30,
                "a fetch of the round",
            )
            time.sleep(rng.uniform(0, args.spread))
            worker.kill()
            worker = start_worker()
            try:
                took = wait_for(
                    lambda ids=ids: all(map(Outcomes.read(logs()).finished, ids)),
                    60,
                    "the round's tasks to finish",
                )
            except AssertionError:
                unfinished_rounds += 1
                took = float("nan")
            fresh = AdvisorySource.objects.filter(
                key__in=keys, last_success_at__gte=round_start
            ).count()
            rounds_confirmed += fresh == len(keys)
            print(
                f"  kill {round_number:2d}: round done {took:4.1f} s after the "
                f"new worker was ready; sources refreshed since: {fresh}/{len(keys)}"
            )

        # The last worker drains whatever is left (nothing, if every round ended).
        try:
            wait_for(
                lambda: all(map(Outcomes.read(logs()).finished, enqueued)),
                60,
                "the last worker to drain the queue",
            )
        except AssertionError as exc:
            print(f"  {exc}")
        outcomes = Outcomes.read(logs())
        completed = sum(map(outcomes.completed, enqueued))
        gave_up = sum(task_id in outcomes.gave_up for task_id in enqueued)
        redelivered = sum(outcomes.received.get(t, 0) > 1 for t in enqueued)
        statuses: dict[str, int] = {}
        for task_id in enqueued:
            for status in outcomes.statuses.get(task_id, ["(none)"]):
                statuses[status] = statuses.get(status, 0) + 1

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM advisories_advisory"
                " GROUP BY source_id, target_country HAVING count(*) > 1) d"
            )
            duplicate_advisories = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM (SELECT content_hash, lag(content_hash) OVER"
                " (PARTITION BY advisory_id ORDER BY recorded_at, id) AS previous"
                " FROM advisories_advisoryrevision) r"
                " WHERE content_hash = previous"
            )
            duplicate_revisions = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM advisories_advisoryrevision")
            revisions = cursor.fetchone()[0]
        stored = {key: Advisory.objects.filter(source__key=key).count() for key in keys}
        lost = len(enqueued) - completed
        elapsed = time.monotonic() - started

        print(f"worker SIGKILLs:                         {args.kills}")
        print(f"workers started:                         {len(workers)}")
        print(f"refreshes enqueued:                      {len(enqueued)}")
        print(f"refreshes completed (ok/not_modified):   {completed}")
        print(f"refreshes lost (enqueued - completed):   {lost}")
        print(f"  of which given up after the cap:       {gave_up}")
        print(f"kills that caught a task running:        {redelivered}")
        print(f"results by status:                       {statuses}")
        print(
            f"rounds with all sources refreshed (db):  {rounds_confirmed}/{args.kills}"
        )
        print(f"rounds not finished within 60 s:         {unfinished_rounds}")
        print(f"advisories stored per source:            {stored}")
        print(f"  expected (the samples):                {SAMPLE_COUNTS}")
        print(f"revisions stored:                        {revisions}")
        print(f"duplicate advisories (source, country):  {duplicate_advisories}")
        print(f"consecutive identical revisions:         {duplicate_revisions}")
        print(f"run time:                                {elapsed:.0f} s")
        ok = (
            lost == 0
            and duplicate_advisories == 0
            and duplicate_revisions == 0
            and stored == SAMPLE_COUNTS
            and revisions == sum(SAMPLE_COUNTS.values())
        )
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for worker in workers:
            worker.kill()
        if feeds is not None:
            feeds.close()
        redis_server.stop()
        logs_done(workdir)


if __name__ == "__main__":
    sys.exit(main())

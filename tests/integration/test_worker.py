"""A real Celery worker on the real Redis broker and PostgreSQL, fetching from a
local server that serves the recorded feeds.

Needs a PostgreSQL DATABASE_URL and REDIS_URL; skipped with the reason otherwise,
and never skipped under EXITWATCH_REQUIRE_SERVICES=1 (CI). The worker is a
subprocess (`celery -A exitwatch worker --pool solo`) pointed at pytest's test
database, which is why these tests commit (transaction=True).
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from advisories.tasks import refresh_advisories, refresh_advisory_source
from exitwatch.lib.jobs import enqueue
from tests.support.feedserver import PORT_RANGE, SAMPLE_COUNTS, Route, serve_samples
from tests.support.services import require_services, test_database_url
from tests.support.waiting import wait_for
from tests.support.workerproc import (
    PrivateRedis,
    Worker,
    free_port,
    worker_start,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
MIGRATION = importlib.import_module("advisories.migrations.0002_advisory_sources")
US_PATH = "/_res/rss/TAsTWs.xml"
# Short limits so a killed worker's task is redelivered within seconds.
WORKER_ENV = {"CELERY_TASK_TIME_LIMIT": "10", "CELERY_VISIBILITY_TIMEOUT": "12"}


@pytest.fixture
def services(transactional_db):
    require_services()
    for row in MIGRATION.SOURCES:
        values = {k: v for k, v in row.items() if k != "key"}
        AdvisorySource.objects.get_or_create(key=row["key"], defaults=values)


@pytest.fixture
def start_worker(services, tmp_path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(redis_url: str | None = None, pool: str = "solo") -> Worker:
        env = {
            **os.environ,
            **WORKER_ENV,
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url or os.environ["REDIS_URL"],
        }
        worker = worker_start(
            env=env,
            log=tmp_path / f"worker-{len(started)}.log",
            hostname=f"test-{len(started)}-{os.getpid()}@127.0.0.1",
            pool=pool,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def feeds(services, feed_server):
    for key, url in serve_samples(feed_server).items():
        AdvisorySource.objects.filter(key=key).update(url=url)
    return feed_server


def succeeded(keys) -> bool:
    return AdvisorySource.objects.filter(
        key__in=keys, last_success_at__isnull=False
    ).count() == len(keys)


def test_a_worker_refreshes_all_four_feeds_and_a_second_run_adds_nothing(
    feeds, start_worker
):
    start_worker()
    enqueue(refresh_advisories)
    took = wait_for(lambda: succeeded(SAMPLE_COUNTS), 45, "four sources to succeed")
    counts = {
        key: Advisory.objects.filter(source__key=key).count() for key in SAMPLE_COUNTS
    }
    assert counts == SAMPLE_COUNTS
    assert AdvisoryRevision.objects.count() == sum(SAMPLE_COUNTS.values()) == 476
    russia = dict(
        Advisory.objects.filter(target_country="RU").values_list("source__key", "level")
    )
    assert russia == {"us-state": 4, "ca-travel": 2, "au-smartraveller": 4}

    attempts = dict(AdvisorySource.objects.values_list("key", "last_attempt_at"))
    # The periodic fan-out would skip them now (polled minutes ago): ask directly.
    for key in SAMPLE_COUNTS:
        enqueue(refresh_advisory_source, key)
    # A run stamps its attempt when it starts and its success when it ends: wait
    # for the end, so the counts read below are the second run's.
    wait_for(
        lambda: all(
            (done := AdvisorySource.objects.get(key=key).last_success_at) is not None
            and done > attempts[key]
            for key in SAMPLE_COUNTS
        ),
        45,
        "the second run of every source",
    )
    assert AdvisoryRevision.objects.count() == 476
    assert Advisory.objects.count() == 476
    # The US feed answered the second request with 304 (its ETag was sent).
    second = feeds.hits(US_PATH)[1]
    assert second.headers["If-None-Match"] == '"us-1"'
    canada = AdvisorySource.objects.get(key="ca-travel")
    assert (canada.items_seen, canada.items_changed) == (226, 0)
    print(f"\nfour feeds refreshed by a real worker in {took:.1f} s")


def test_a_task_whose_worker_is_killed_runs_again_on_the_next_worker(
    feeds, start_worker
):
    feeds.add(
        US_PATH,
        Route(
            feeds.routes[US_PATH].body,
            etag='"us-1"',
            delay=4,
            delay_once=True,
        ),
    )
    first = start_worker()
    enqueue(refresh_advisory_source, "us-state")
    wait_for(feeds.started[US_PATH].is_set, 30, "the worker to start fetching")
    first.kill()  # SIGKILL, mid-fetch: no chance to acknowledge or to clean up
    killed_at = time.monotonic()
    assert first.process.returncode == -signal.SIGKILL
    assert Advisory.objects.count() == 0

    start_worker()
    # The advisories are stored first, the source's health just after: wait for both.
    wait_for(
        lambda: (
            Advisory.objects.filter(source__key="us-state").count() == 69
            and AdvisorySource.objects.filter(
                key="us-state", last_success_at__isnull=False
            ).exists()
        ),
        45,
        "the redelivered task to store the US advisories and record its run",
    )
    recovered = time.monotonic() - killed_at
    # Delivered twice, stored once: no duplicate advisory, no duplicate revision.
    assert len(feeds.hits(US_PATH)) == 2
    assert AdvisoryRevision.objects.count() == 69
    source = AdvisorySource.objects.get(key="us-state")
    assert (source.items_seen, source.items_changed) == (69, 69)
    assert source.last_success_at is not None
    print(f"\ntask redelivered and completed {recovered:.1f} s after the kill")


def pool_children(worker: Worker) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def test_a_task_whose_pool_process_dies_is_requeued_at_once(feeds, start_worker):
    # prefork: the pool child running the task is killed, its parent lives on
    # and (task_reject_on_worker_lost) puts the task back on the queue.
    feeds.add(
        US_PATH,
        Route(feeds.routes[US_PATH].body, etag='"us-1"', delay=4, delay_once=True),
    )
    worker = start_worker(pool="prefork")
    enqueue(refresh_advisory_source, "us-state")
    wait_for(feeds.started[US_PATH].is_set, 30, "the pool process to start fetching")
    (child,) = pool_children(worker)
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    wait_for(
        lambda: Advisory.objects.filter(source__key="us-state").count() == 69,
        45,
        "the requeued task to store the US advisories",
    )
    recovered = time.monotonic() - killed_at
    assert "WorkerLostError" in worker.output()
    assert len(feeds.hits(US_PATH)) == 2
    assert AdvisoryRevision.objects.count() == 69
    print(f"\npool process killed; task requeued and done {recovered:.1f} s later")


@pytest.fixture
def private_redis():
    server = PrivateRedis(free_port(PORT_RANGE))
    server.start()
    yield server
    server.stop()


def manage(*args: str, redis_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": redis_url}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_redis_down_work_fails_cleanly_and_resumes_when_it_is_back(
    feeds, start_worker, private_redis
):
    start_worker(redis_url=private_redis.url)
    private_redis.stop()

    started = time.monotonic()
    queued = manage(
        "refresh_advisories",
        "--enqueue",
        "--source",
        "ca-travel",
        redis_url=private_redis.url,
    )
    refused_in = time.monotonic() - started
    assert queued.returncode == 1
    assert queued.stderr.strip().splitlines()[-1] == (
        "CommandError: could not queue advisories.tasks.refresh_advisory_source: "
        f"the broker at {private_redis.url} did not answer "
        f"(Error 111 connecting to 127.0.0.1:{private_redis.port}. Connection refused.)"
    )
    ran_here = manage(
        "refresh_advisories", "--source", "ca-travel", redis_url=private_redis.url
    )
    assert ran_here.returncode == 1
    assert (
        ran_here.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"CommandError: Redis ({private_redis.url}) did not answer while "
            "taking the lock for advisory-source:ca-travel"
        )
    )
    assert Advisory.objects.count() == 0

    private_redis.start()
    queued = manage(
        "refresh_advisories",
        "--enqueue",
        "--source",
        "ca-travel",
        redis_url=private_redis.url,
    )
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("ca-travel: queued as task ")
    resumed_in = wait_for(
        lambda: Advisory.objects.filter(source__key="ca-travel").count() == 226,
        60,
        "the worker to reconnect and run the queued refresh",
    )
    print(
        f"\nenqueue refused in {refused_in:.1f} s with Redis down; after Redis came "
        f"back the worker ran the task in {resumed_in:.1f} s"
    )

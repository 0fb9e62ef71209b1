"""Prometheus metrics: requests by view and status, source runs and Celery tasks,
sources' ages and the outbox backlog; /metrics only with the token."""

import urllib.request
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from exitwatch.celery import app as celery_app
from exitwatch.lib import metrics
from exitwatch.lib.sources import RunOutcome, source_run
from outbox.models import OutboxMessage
from routes.flights.models import FlightProvider
from tests.support.ports import worker_port
from tests.support.subprocesses import python

pytestmark = pytest.mark.django_db

TOKEN = "t" * 40
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
TASK_TOTAL = "exitwatch_celery_tasks_total"


def scrape(client, **extra) -> dict:
    """{(name, frozenset(labels)): value} of every sample /metrics gives."""
    response = client.get("/metrics", **{**AUTH, **extra})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_need_the_token_and_say_nothing_without_it(client):
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "x" * 40)
    assert wrong.status_code == 404
    assert client.post("/metrics", **AUTH).status_code == 404
    assert client.get("/metrics", **AUTH).status_code == 200


@override_settings(METRICS_TOKEN="")
def test_without_a_token_configured_there_are_no_metrics(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@override_settings(
    METRICS_TOKEN=TOKEN,
    ALLOWED_HOSTS=["exitwatch.example.org"],
    SECURE_SSL_REDIRECT=True,
)
def test_prometheus_scrapes_by_address_over_plain_http(client):
    response = client.get("/metrics", HTTP_HOST="10.0.3.7:8000", **AUTH)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@override_settings(METRICS_TOKEN=TOKEN)
def test_requests_are_counted_by_view_and_status(client):
    name = "django_http_responses_total_by_status_view_method_total"
    before = scrape(client)
    client.get("/healthz")  # answered by a middleware, before any view
    client.get("/api/v1/sources/")
    client.get("/no-such-page/")
    after = scrape(client)
    for view, status in (("healthz", "200"), ("api:sources", "200")):
        labels = {"method": "GET", "status": status, "view": view}
        assert value(after, name, **labels) - value(before, name, **labels) == 1
    missing = {"method": "GET", "status": "404", "view": "<unresolved>"}
    assert value(after, name, **missing) - value(before, name, **missing) == 1


@pytest.fixture
def harbour():
    return FlightProvider.objects.create(
        key="harbour-metrics", name="Harbour fares", enabled=True
    )


@override_settings(METRICS_TOKEN=TOKEN)
def test_source_runs_failures_and_durations_are_counted_by_source(client, harbour):
    labels = {"kind": harbour._meta.label_lower, "source": "harbour-metrics"}
    before = scrape(client)

    def run(step):
        return source_run(row=harbour, lock_key="metrics:harbour", owner="o", step=step)

    run(lambda now: RunOutcome("harbour"))
    run(lambda now: RunOutcome("harbour", status="failed", error="HTTP 503"))
    with pytest.raises(RuntimeError):
        run(lambda now: (_ for _ in ()).throw(RuntimeError("bug")))
    after = scrape(client)
    runs = "exitwatch_source_runs_total"
    for outcome in ("success", "failure", "error"):
        delta = value(after, runs, outcome=outcome, **labels) - value(
            before, runs, outcome=outcome, **labels
        )
        assert delta == 1, outcome
    count = "exitwatch_source_run_duration_seconds_count"
    assert value(after, count, **labels) - value(before, count, **labels) == 3


@override_settings(METRICS_TOKEN=TOKEN)
def test_each_sources_age_since_its_last_success_is_given(client):
    now = timezone.now()
    FlightProvider.objects.create(
        key="fresh",
        name="Fresh",
        enabled=True,
        last_success_at=now - timedelta(hours=2),
    )
    FlightProvider.objects.create(key="never", name="Never", enabled=True)
    samples = scrape(client)
    kind = FlightProvider._meta.label_lower
    age = value(
        samples, "exitwatch_source_last_success_age_seconds", kind=kind, source="fresh"
    )
    assert 7200 <= age < 7260
    assert ("exitwatch_source_last_success_age_seconds",) not in {
        (name,) for name, labels in samples if ("source", "never") in labels
    }
    overdue = "exitwatch_source_overdue"
    assert value(samples, overdue, kind=kind, source="fresh") == 0
    assert value(samples, overdue, kind=kind, source="never") == 1
    # The advisory feeds and the official list are sources too.
    kinds = {dict(labels).get("kind") for name, labels in samples if name == overdue}
    assert "advisories.advisorysource" in kinds
    assert value(samples, "exitwatch_state_up") == 1


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_delivery_backlog_is_the_outboxs_pending_tasks(client):
    now = timezone.now()
    OutboxMessage.objects.create(task="a", created_at=now - timedelta(minutes=10))
    OutboxMessage.objects.create(task="b", created_at=now - timedelta(minutes=1))
    OutboxMessage.objects.create(
        task="c", created_at=now - timedelta(hours=3), sent_at=now
    )
    samples = scrape(client)
    assert value(samples, "exitwatch_outbox_pending_messages") == 2
    oldest = value(samples, "exitwatch_outbox_oldest_pending_age_seconds")
    assert 600 <= oldest < 660


@celery_app.task(name="tests.metrics.divide")
def divide(a: int, b: int) -> float:
    return a / b


@override_settings(METRICS_TOKEN=TOKEN)
def test_celery_task_runs_failures_and_durations_are_counted(client):
    before = scrape(client)
    divide.apply(args=(1, 2))
    divide.apply(args=(1, 0), throw=False)
    after = scrape(client)
    runs = "exitwatch_celery_tasks_total"
    task = "tests.metrics.divide"
    for state in ("SUCCESS", "FAILURE"):
        delta = value(after, runs, task=task, state=state) - value(
            before, runs, task=task, state=state
        )
        assert delta == 1, state
    count = "exitwatch_celery_task_duration_seconds_count"
    assert value(after, count, task=task) - value(before, count, task=task) == 2


def test_a_worker_serves_its_counters_on_its_port():
    port = worker_port(8392)
    with override_settings(METRICS_WORKER_PORT=port):
        server = metrics.worker_metrics_serve()
    try:
        divide.apply(args=(4, 2))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            text = page.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert (
        'exitwatch_celery_tasks_total{state="SUCCESS",task="tests.metrics.divide"}'
        in text
    )
    with override_settings(METRICS_WORKER_PORT=0):
        assert metrics.worker_metrics_serve() is None


# gunicorn's workers (and Celery's pool) are processes: with the multiprocess
# directory set, a scrape adds up what each wrote. The database is absent here:
# the scrape says so and still gives the counters.
SEVERAL_PROCESSES = """
import django, multiprocessing, sys
django.setup()
from exitwatch.lib import metrics

def work(_):
    metrics.TASK_RUNS.labels(task="tests.several", state="SUCCESS").inc()

with multiprocessing.get_context("fork").Pool(3) as pool:
    pool.map(work, range(5))
sys.stdout.write(metrics.exposition().decode())
"""


def test_the_counts_of_several_processes_are_added_up(tmp_path):
    result = python(
        SEVERAL_PROCESSES,
        unset=("DATABASE_URL", "REDIS_URL"),
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        SQLITE_PATH=str(tmp_path / "none" / "db.sqlite3"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    assert result.returncode == 0, result.stderr
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(result.stdout)
        for sample in family.samples
    }
    assert value(samples, TASK_TOTAL, task="tests.several", state="SUCCESS") == 5
    assert value(samples, "exitwatch_state_up") == 0

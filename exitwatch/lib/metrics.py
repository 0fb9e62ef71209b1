"""Prometheus metrics of the web and the workers (prometheus_client and
django-prometheus; docs/operations.md lists them and says how to scrape them).

- Requests by view and status: django-prometheus's middleware. Ours names the view
  of a response a middleware gave before any view ran (the map snapshot, the
  probes), which django-prometheus would count as "<unnamed view>".
- Source runs, failures and durations (exitwatch.lib.sources.source_run), and
  every Celery task's runs and durations by task name (signals).
- What the database says at scrape time: each source's age since its last
  success and whether it is overdue, and the outbox's backlog. Read by the web's
  /metrics only, so several workers do not report it twice.

gunicorn and Celery's prefork pool run several processes: with
PROMETHEUS_MULTIPROC_DIR set, each writes its counters there and a scrape adds
them up (prometheus_client's multiprocess mode). /metrics is not public: it needs
METRICS_TOKEN as a bearer token, answers 404 otherwise, and nginx never passes it.
"""

from __future__ import annotations

import hmac
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_prometheus.middleware import PrometheusAfterMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    # Imported where used: Celery's app imports this module before Django's apps
    # are loaded, and a model module cannot be imported then.
    from exitwatch.lib.source_health import SourceHealth

METRICS_PATH = "/metrics"


def multiprocess_dir() -> str:
    """Where this service's processes write their metrics ("" in one process)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


# In multiprocess mode a counter's first use creates its file there: a one-off
# command in a container whose service never started (so never made it) would
# fail on its first source run without this.
if multiprocess_dir():
    Path(multiprocess_dir()).mkdir(parents=True, exist_ok=True)

# Seconds: a source run is a fetch and a parse (a minute is slow); a task may be
# a sweep or a send.
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

SOURCE_RUNS = Counter(
    "exitwatch_source_runs_total",
    "Runs of an external source by outcome: success, failure (recorded on the "
    "source), error (the step raised), busy (another run held the lock).",
    ["kind", "source", "outcome"],
)
SOURCE_RUN_SECONDS = Histogram(
    "exitwatch_source_run_duration_seconds",
    "How long a source's run took (lock held, fetch, parse, record).",
    ["kind", "source"],
    buckets=DURATION_BUCKETS,
)
TASK_RUNS = Counter(
    "exitwatch_celery_tasks_total",
    "Celery task runs by task name and final state (SUCCESS, FAILURE, RETRY, ...).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "exitwatch_celery_task_duration_seconds",
    "How long a Celery task ran, by task name.",
    ["task"],
    buckets=DURATION_BUCKETS,
)


def source_kind(row: SourceHealth) -> str:
    """The label of a source's model: advisories.advisorysource and the like."""
    return row._meta.label_lower


def source_run_observe(row: SourceHealth, *, outcome: str, seconds: float) -> None:
    """Count one run of the source `row` and how long it took."""
    labels = {"kind": source_kind(row), "source": str(row.key)}  # type: ignore[attr-defined]
    SOURCE_RUNS.labels(outcome=outcome, **labels).inc()
    if outcome != "busy":
        SOURCE_RUN_SECONDS.labels(**labels).observe(seconds)


# -- Celery ------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **_: Any) -> None:
    """task_prerun: note when the task began (in the process that runs it)."""
    if task_id:
        _task_started[task_id] = time.monotonic()


def task_finished(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    """task_postrun: count the run by its final state, and time it."""
    started = _task_started.pop(task_id or "", None)
    name = getattr(task, "name", None) or "<unknown>"
    TASK_RUNS.labels(task=name, state=state or "UNKNOWN").inc()
    if started is not None:
        TASK_SECONDS.labels(task=name).observe(time.monotonic() - started)


def worker_metrics_serve(**_: Any) -> Any:
    """worker_ready: serve the worker's counters on METRICS_WORKER_PORT, from its
    main process, summed over its pool (for the internal network only:
    docs/operations.md). Returns the server, or None when the port is 0."""
    port = settings.METRICS_WORKER_PORT
    if not port:
        return None
    server, _thread = start_http_server(port, registry=process_registry())
    return server


def _worker_process_shutdown(pid: int | None = None, **_: Any) -> None:
    multiprocess_exit(pid or os.getpid())


def connect_celery_signals() -> None:
    """Count every task that runs in this process (a worker, or eager calls), and
    in a worker serve the counts on METRICS_WORKER_PORT."""
    from celery import signals

    signals.task_prerun.connect(task_started, weak=False)
    signals.task_postrun.connect(task_finished, weak=False)
    signals.worker_init.connect(lambda **_: multiprocess_reset(), weak=False)
    signals.worker_ready.connect(worker_metrics_serve, weak=False)
    signals.worker_process_shutdown.connect(_worker_process_shutdown, weak=False)


# -- what the database says ----------------------------------------------------------


def _source_models() -> list[type[SourceHealth]]:
    from exitwatch.lib.source_health import SourceHealth

    return [
        model
        for model in apps.get_models()
        if issubclass(model, SourceHealth) and not model._meta.abstract
    ]


class StateCollector(Collector):
    """Read at scrape time: sources' ages since their last success, and the outbox
    backlog. A handful of small queries per scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        # A database that does not answer must not take the process's own
        # counters down with it: the scrape says so instead.
        try:
            families = list(self._families(timezone.now()))
        except DatabaseError:
            families = []
        yield from families
        yield GaugeMetricFamily(
            "exitwatch_state_up",
            "1 when the database answered this scrape's questions.",
            value=1.0 if families else 0.0,
        )

    def _families(self, now: datetime) -> Iterator[GaugeMetricFamily]:
        age = GaugeMetricFamily(
            "exitwatch_source_last_success_age_seconds",
            "Seconds since the source's last successful run (absent: never).",
            labels=["kind", "source"],
        )
        overdue = GaugeMetricFamily(
            "exitwatch_source_overdue",
            "1 when an enabled source has had no success for too long (or never).",
            labels=["kind", "source"],
        )
        for model in _source_models():
            rows = model._default_manager.only("key", "enabled", "last_success_at")
            for row in rows:
                labels = [row._meta.label_lower, str(row.key)]
                if row.last_success_at is not None:
                    seconds = (now - row.last_success_at).total_seconds()
                    age.add_metric(labels, max(0.0, seconds))
                overdue.add_metric(labels, 1.0 if row.is_overdue(now) else 0.0)
        yield age
        yield overdue
        yield from self._outbox(now)

    def _outbox(self, now: datetime) -> Iterator[GaugeMetricFamily]:
        # By label, not by import: the shared library imports no app, and a site
        # without the outbox simply has no backlog to report.
        try:
            model = apps.get_model("outbox", "OutboxMessage")
        except LookupError:
            return
        pending = model.objects.pending()
        summary = pending.aggregate(oldest=Min("created_at"))
        yield GaugeMetricFamily(
            "exitwatch_outbox_pending_messages",
            "Tasks written to the outbox and not yet taken by the broker.",
            value=pending.count(),
        )
        oldest = summary["oldest"]
        yield GaugeMetricFamily(
            "exitwatch_outbox_oldest_pending_age_seconds",
            "Age of the oldest task still waiting in the outbox (0: none).",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )


# -- exposition ------------------------------------------------------------------------


def process_registry() -> CollectorRegistry:
    """The counters of this service: summed over its processes in multiprocess
    mode, else this process's own."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition() -> bytes:
    """The web's metrics page: its counters, then the database's state."""
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(process_registry()) + generate_latest(state)


def _authorised(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(value.strip().encode(), token.encode())
    )


class MetricsMiddleware:
    """Answer /metrics before host validation and the HTTPS redirect, as the probes
    are: Prometheus scrapes each web container by address over the internal
    network. Without METRICS_TOKEN, or with a wrong one, it is a 404 like any
    unknown path: a scanner learns nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != METRICS_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or not _authorised(request):
            return HttpResponseNotFound()
        response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response


class ViewMetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's per-view counters, placed near the top so they also see
    the responses a middleware gives (the map snapshot, the probes): those get
    the name of the view their path resolves to."""

    def _get_view_name(self, request: HttpRequest) -> str:
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return "<unresolved>"
        return match.view_name or "<unnamed view>"


# -- multiprocess housekeeping (gunicorn's master, Celery's main process) ------------


def multiprocess_reset() -> None:
    """Empty the multiprocess directory at start: files of processes from before a
    restart would be added to the new ones' counts."""
    directory = multiprocess_dir()
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def multiprocess_exit(pid: int) -> None:
    """A worker process ended: drop its live gauges (counters are kept)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)

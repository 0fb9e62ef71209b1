"""The Celery configuration that keeps tasks from being lost or run twice."""

import os
import subprocess
import sys

from django.conf import settings

from exitwatch.celery import app


def test_tasks_travel_as_json_only():
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"


def test_a_task_survives_its_worker_dying_but_not_forever():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    from exitwatch.lib.jobs import DeliveryCappedTask

    assert DeliveryCappedTask.max_deliveries == 3


def test_time_limits_fit_inside_the_visibility_timeout():
    hard, soft = app.conf.task_time_limit, app.conf.task_soft_time_limit
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert soft < hard < visibility
    # A retry waits at most retry_backoff_max: it must not be redelivered early.
    from advisories.tasks import refresh_advisory_source

    assert refresh_advisory_source.retry_backoff_max < visibility


def test_each_periodic_job_expires_before_its_next_run():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover
    schedule = app.conf.beat_schedule
    periods = {
        "advisories.tasks.refresh_advisories": 30 * 60,
        "routes.flights.tasks.refresh_flights": 15 * 60,
        "routes.mapdoc.tasks.mark_stale": 5 * 60,
        "routes.reports.tasks.purge_old_reports": 24 * 3600,
        "outbox.drain": 15.0,
        "routes.reports.tasks.notify_moderators": 60.0,
        "routes.checkpoints.tasks.refresh_checkpoints": 6 * 3600,
        "alerts.tasks.send_due_webhooks": 30.0,
        "alerts.tasks.pause_failing_webhooks": 3600.0,
        "alerts.telegram.tasks.send_telegram_posts": 30.0,
        "mirror.tasks.export_mirror": 15 * 60,
    }
    assert {entry["task"]: entry["schedule"] for entry in schedule.values()} == periods
    for entry in schedule.values():
        assert 0 < entry["options"]["expires"] < entry["schedule"]
        assert entry["task"] in app.tasks


def test_without_redis_tasks_run_in_process():
    if settings.REDIS_URL:
        assert app.conf.task_always_eager is False
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.task_always_eager is True


def test_a_visibility_timeout_shorter_than_a_task_refuses_to_start():
    env = {
        **os.environ,
        "CELERY_TASK_TIME_LIMIT": "600",
        "CELERY_VISIBILITY_TIMEOUT": "300",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import exitwatch.celery"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "ExitWatch configuration error: CELERY_VISIBILITY_TIMEOUT=300 must be longer "
        "than CELERY_TASK_TIME_LIMIT=600 seconds"
    )

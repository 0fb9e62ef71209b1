"""The one way every external source runs: lock, attempt, step, health, give-up.

The machinery works on any concrete SourceHealth row; a flight provider's row
stands in for one here, with steps written for each case.
"""

from datetime import UTC, datetime, timedelta

import pytest

from exitwatch.lib.jobs import lock_acquire, lock_release
from exitwatch.lib.sources import (
    MAX_ERROR_LENGTH,
    RunOutcome,
    SourceTask,
    source_record,
    source_run,
)
from routes.flights.models import FlightProvider

pytestmark = pytest.mark.django_db

# A fixed moment just past, so a give-up stamped with the real clock comes after it.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
LOCK = "example-source:harbour"


@pytest.fixture
def harbour():
    """An enabled source that last succeeded an hour before NOW."""
    return FlightProvider.objects.create(
        key="harbour",
        name="Harbour fares",
        enabled=True,
        last_success_at=NOW - timedelta(hours=1),
        items_seen=7,
        items_changed=2,
    )


def run(row, step, owner="run-1"):
    return source_run(row=row, lock_key=LOCK, owner=owner, step=step, now=NOW)


def stored(row):
    return FlightProvider.objects.get(pk=row.pk)


def test_a_second_run_is_skipped_while_another_holds_the_lock(harbour):
    calls = []
    assert lock_acquire(LOCK, owner="first-run", ttl=60)
    try:
        outcome = run(harbour, lambda now: calls.append(now) or RunOutcome("harbour"))
    finally:
        lock_release(LOCK, owner="first-run")
    assert outcome is None  # "busy": the caller says so
    assert calls == []
    assert stored(harbour).last_attempt_at is None  # nothing written


def test_the_attempt_is_stamped_before_the_step_runs(harbour):
    def step(now):
        assert stored(harbour).last_attempt_at == now == NOW
        return RunOutcome("harbour")

    run(harbour, step)


def test_a_successful_run_records_its_success_counts_and_own_fields(harbour):
    outcome = run(
        harbour,
        lambda now: RunOutcome(
            "harbour", items_seen=40, items_changed=3, fields={"url": "https://x.test/"}
        ),
    )
    assert outcome.status == "ok"
    row = stored(harbour)
    assert (row.last_attempt_at, row.last_success_at) == (NOW, NOW)
    assert (row.items_seen, row.items_changed, row.url) == (40, 3, "https://x.test/")
    assert row.last_error_at is None and not row.is_failing
    # The row in hand says the same as the database.
    assert harbour.last_success_at == NOW and harbour.items_seen == 40


def test_a_failed_run_keeps_the_last_success_and_says_how_old_it_is(harbour):
    outcome = run(
        harbour,
        lambda now: RunOutcome("harbour", "failed", error="HTTP 503", transient=True),
    )
    assert outcome.transient
    row = stored(harbour)
    assert (row.last_error_at, row.last_error) == (NOW, "HTTP 503")
    assert row.last_success_at == NOW - timedelta(hours=1)
    assert (row.items_seen, row.items_changed) == (7, 2)
    assert row.is_failing


def test_a_partly_failed_run_records_its_counts_and_its_error(harbour):
    run(
        harbour,
        lambda now: RunOutcome(
            "harbour", error="one month failed", items_seen=20, items_changed=1
        ),
    )
    row = stored(harbour)
    assert (row.items_seen, row.items_changed) == (20, 1)
    assert row.last_error == "one month failed" and row.is_failing
    assert row.last_success_at == NOW - timedelta(hours=1)


def test_a_long_error_is_cut_to_the_shared_limit(harbour):
    source_record(harbour, now=NOW, error="x" * (MAX_ERROR_LENGTH + 500))
    assert len(stored(harbour).last_error) == MAX_ERROR_LENGTH


def test_a_step_that_raises_is_recorded_raised_and_releases_the_lock(harbour):
    def step(now):
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run(harbour, step)
    row = stored(harbour)
    assert row.last_error == "unexpected error: KeyError('a bug')"
    assert row.last_error_at == NOW
    # The lock went with the run: the next one is not skipped.
    assert run(harbour, lambda now: RunOutcome("harbour"), owner="run-2") is not None


class HarbourTask(SourceTask):
    name = "tests.harbour"
    source_model = FlightProvider


def test_giving_up_on_the_time_limit_is_recorded_like_any_error(harbour, settings):
    message = HarbourTask().give_up("harbour")
    limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert message == f"gave up: the refresh took longer than {limit} s"
    row = stored(harbour)
    assert row.last_error == message and row.is_failing
    assert row.last_success_at == NOW - timedelta(hours=1)


def test_a_task_abandoned_after_its_worker_died_says_so_on_its_source(harbour):
    HarbourTask().on_gave_up("gave up after 3 deliveries", ("harbour",), {})
    assert stored(harbour).last_error == "gave up after 3 deliveries"
    HarbourTask().on_gave_up("gone since", (), {"provider_key": "no-such"})


def test_a_summary_is_one_line_per_run_saying_what_partly_failed():
    assert RunOutcome("harbour", "busy").summary() == (
        "harbour: skipped, another run of it is in progress"
    )
    assert RunOutcome("harbour", "failed", error="HTTP 503").summary() == (
        "harbour: failed: HTTP 503"
    )
    partly = RunOutcome("harbour", error="one month failed", items_seen=4)
    assert (
        partly.summary()
        == "harbour: 4 seen, 0 changed; partly failed: one month failed"
    )


def test_a_failed_outcome_without_a_message_is_still_recorded_as_a_failure(harbour):
    run(harbour, lambda now: RunOutcome("harbour", "failed"))
    row = stored(harbour)
    assert row.last_error == "failed" and row.is_failing

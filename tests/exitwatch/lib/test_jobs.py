"""One run of a job at a time, with a lock a redelivered task can resume."""

import pytest

from exitwatch.lib.jobs import lock_acquire, lock_release, single_run
from tests.support.waiting import wait_for


def test_a_held_lock_keeps_other_runs_out_until_released():
    assert lock_acquire("job-a", owner="run-1", ttl=30)
    assert not lock_acquire("job-a", owner="run-2", ttl=30)
    lock_release("job-a", owner="run-2")  # not the owner: no effect
    assert not lock_acquire("job-a", owner="run-2", ttl=30)
    lock_release("job-a", owner="run-1")
    assert lock_acquire("job-a", owner="run-2", ttl=30)
    lock_release("job-a", owner="run-2")


def test_the_same_owner_takes_its_lock_over():
    # A task redelivered after its worker was killed has the same id.
    assert lock_acquire("job-b", owner="task-1", ttl=30)
    assert lock_acquire("job-b", owner="task-1", ttl=30)
    lock_release("job-b", owner="task-1")


def test_single_run_releases_even_when_the_job_fails():
    with pytest.raises(RuntimeError), single_run("job-c", owner="run-1", ttl=30) as ok:
        assert ok
        raise RuntimeError("feed exploded")
    with single_run("job-c", owner="run-2", ttl=30) as ok:
        assert ok


def test_a_lock_expires_after_its_ttl(settings):
    assert lock_acquire("job-d", owner="dead-run", ttl=1)
    wait_for(
        lambda: lock_acquire("job-d", owner="run-2", ttl=30),
        1.1,
        "the dead run's lock to expire",
    )
    lock_release("job-d", owner="run-2")

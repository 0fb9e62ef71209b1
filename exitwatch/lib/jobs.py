"""Rules every background job follows: one run of a job at a time, and a cap on
how often one task may be redelivered after its worker died.

The lock lives in Redis when REDIS_URL is set, so a worker, a second worker and a
management command all see it; without Redis (development, tasks run in-process)
a lock in this process is enough. A lock is owned by a name (the Celery task id):
when a worker is killed mid-task its message is delivered again with the same id,
and that delivery may take the dead run's lock over instead of waiting for it to
expire. This is safe because the broker redelivers only after its visibility
timeout, which settings keep above the hard time limit: by then the first run is
certainly dead.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from celery import Task
from django.conf import settings
from kombu.exceptions import OperationalError
from kombu.utils.url import maybe_sanitize_url

log = logging.getLogger(__name__)

_ACQUIRE = """
local held = redis.call('GET', KEYS[1])
if (not held) or held == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class JobStoreUnavailable(RuntimeError):
    """Redis, which holds the job locks, did not answer."""


_clients: dict[str, redis.Redis] = {}
_local_locks: dict[str, tuple[str, float]] = {}
_local_guard = threading.Lock()


def _client() -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=3, socket_timeout=5
        )
    return _clients[url]


def _key(kind: str, name: str) -> str:
    return f"{settings.CACHE_KEY_PREFIX}:{kind}:{name}"


def new_owner(prefix: str = "run") -> str:
    """An owner name for a run that is not a Celery task (a management command)."""
    return f"{prefix}:{uuid.uuid4().hex}"


def lock_acquire(name: str, *, owner: str, ttl: int) -> bool:
    """Take the lock `name` for `ttl` seconds; False if someone else holds it."""
    client = _client()
    key = _key("job-lock", name)
    if client is None:
        with _local_guard:
            held = _local_locks.get(key)
            if held and held[0] != owner and held[1] > time.monotonic():
                return False
            _local_locks[key] = (owner, time.monotonic() + ttl)
            return True
    try:
        return bool(client.eval(_ACQUIRE, 1, key, owner, ttl))
    except redis.RedisError as exc:
        raise JobStoreUnavailable(
            f"Redis ({settings.REDIS_URL}) did not answer while taking the lock "
            f"for {name}: {exc}"
        ) from exc


def lock_release(name: str, *, owner: str) -> None:
    client = _client()
    key = _key("job-lock", name)
    if client is None:
        with _local_guard:
            if _local_locks.get(key, ("",))[0] == owner:
                del _local_locks[key]
        return
    try:
        client.eval(_RELEASE, 1, key, owner)
    except redis.RedisError:
        # The lock expires by itself; a failed release only delays the next run.
        log.warning("could not release job lock %s", name, exc_info=True)


@contextmanager
def single_run(name: str, *, owner: str, ttl: int) -> Iterator[bool]:
    """Yield True with the lock held (released on exit), False if already running."""
    acquired = lock_acquire(name, owner=owner, ttl=ttl)
    try:
        yield acquired
    finally:
        if acquired:
            lock_release(name, owner=owner)


def job_lock_ttl() -> int:
    """Seconds a job lock lives: past the hard time limit, so it never expires
    under a run that is still allowed to be working."""
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


# How a refresh retries a transient failure (network, 5xx, 429): a minute, then
# doubling up to ten, with jitter so sources do not retry in step; three times.
TRANSIENT_RETRY = {
    "retry_backoff": 60,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 3,
}


class DeliveryCappedTask(Task):
    """A task that stops being run after `max_deliveries` deliveries of one attempt.

    With acks_late and reject_on_worker_lost a task whose worker dies is delivered
    again: right for a worker killed by a deploy, an endless loop for a task that
    itself kills the worker (out of memory on a huge feed). Deliveries are counted
    in Redis per task id and retry number, so ordinary retries start afresh.
    """

    abstract = True
    max_deliveries = 3

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        client = _client()
        if self.request.is_eager or client is None or not self.request.id:
            return super().__call__(*args, **kwargs)
        key = _key("deliveries", f"{self.request.id}:{self.request.retries or 0}")
        try:
            deliveries = client.incr(key)
            client.expire(key, 24 * 3600)
        except redis.RedisError:
            log.warning("could not count deliveries of %s", self.name, exc_info=True)
            deliveries = 1
        if deliveries > self.max_deliveries:
            message = (
                f"gave up on {self.name}[{self.request.id}] after {deliveries - 1} "
                "deliveries: its worker died each time"
            )
            log.error(message)
            self.on_gave_up(message, args, kwargs)
            return None
        try:
            return super().__call__(*args, **kwargs)
        finally:
            try:
                client.delete(key)
            except redis.RedisError:
                log.warning("could not clear delivery count %s", key, exc_info=True)

    def on_gave_up(self, message: str, args: tuple, kwargs: dict) -> None:
        """Hook: record that the task was abandoned (e.g. on its source's health)."""


class QueueUnavailable(RuntimeError):
    """The broker did not take the task; nothing was queued."""


def enqueue(task: Task, *args: Any, **options: Any) -> str:
    """Queue `task` and return its id, or raise QueueUnavailable with one clear line.

    The publish retry policy in settings bounds how long this waits for a broker
    that is down (a few seconds), so a caller never hangs.
    """
    try:
        return task.apply_async(args=args, **options).id
    except OperationalError as exc:
        broker = maybe_sanitize_url(settings.CELERY_BROKER_URL)
        raise QueueUnavailable(
            f"could not queue {task.name}: the broker at {broker} did not answer "
            f"({exc})"
        ) from exc

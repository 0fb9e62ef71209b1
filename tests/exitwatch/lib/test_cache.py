"""The Redis cache keeps answering while Redis is away, and notices its return."""

import time

from exitwatch.lib.cache import ResilientRedisCache
from tests.support.waiting import wait_for

hooks_called: list[str] = []


def record_recovery() -> None:
    hooks_called.append("recovered")


def make_cache(port: int, **options) -> ResilientRedisCache:
    return ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"retry_after": 0.2, "fallback_timeout": 5, **options}},
    )


def test_with_redis_unreachable_calls_answer_fast_from_local_memory():
    cache = make_cache(1)  # nothing listens on port 1
    started = time.monotonic()
    assert cache.get("missing", "default") == "default"
    cache.set("snapshot", b"bytes", timeout=None)
    assert cache.get("snapshot") == b"bytes"
    assert cache.add("lock", 1) is True
    assert cache.add("lock", 1) is False
    assert cache.get_many(["snapshot", "nope"]) == {"snapshot": b"bytes"}
    assert cache.delete("snapshot") is True
    assert cache.get("snapshot") is None
    assert cache.is_down
    assert time.monotonic() - started < 1.0


def test_local_copies_expire_within_the_fallback_timeout():
    cache = make_cache(1, fallback_timeout=0.3)
    cache.set("version", "v1", timeout=None)  # "forever" in Redis, briefly here
    assert cache.get("version") == "v1"
    wait_for(lambda: cache.get("version") is None, 0.4, "the local copy to expire")


def test_it_goes_back_to_redis_when_it_returns_and_runs_the_recovery_hooks(own_redis):
    hooks_called.clear()
    cache = make_cache(own_redis.port, on_recovery=[f"{__name__}.record_recovery"])
    cache.set("k", "in-redis")
    assert cache.get("k") == "in-redis"
    own_redis.stop()
    assert cache.get("k") is None  # Redis gone: the local copy has nothing
    cache.set("k", "during-outage")
    assert cache.get("k") == "during-outage"
    assert hooks_called == []
    own_redis.start()
    # Past retry_after: the next call tries Redis again.
    wait_for(lambda: not cache.is_down, 2, "the breaker to try Redis again")
    assert cache.get("k") is None  # Redis restarted empty (no persistence)
    assert hooks_called == ["recovered"]
    cache.set("k", "after")
    assert cache.get("k") == "after"
    assert hooks_called == ["recovered"]  # once per outage, not per call


def test_the_snapshot_version_moves_on_after_an_outage(own_redis, settings):
    # A write during the outage could not bump the shared version; the hook does.
    from exitwatch.lib import snapshot

    cache = make_cache(
        own_redis.port, on_recovery=["exitwatch.lib.snapshot.snapshot_bump"]
    )
    original = snapshot.cache
    snapshot.cache = cache
    try:
        before = snapshot.snapshot_version()
        own_redis.stop()
        cache.get("anything")
        own_redis.start()
        cache.set(snapshot.VERSION_KEY, before, timeout=None)  # the stale version
        wait_for(lambda: not cache.is_down, 2, "the breaker to try Redis again")
        cache.get("anything")  # first call that reaches Redis again
        assert snapshot.snapshot_version() != before
    finally:
        snapshot.cache = original

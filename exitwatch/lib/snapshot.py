"""The version of the public map snapshot, bumped by every write that changes it.

The read side keys its cached document by this version, so a new version makes
the next request rebuild it: an edit shows up at once, with no waiting for expiry.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

VERSION_KEY = "map:snapshot-version"


def _new_version() -> str:
    return f"{time.time_ns():x}"


def snapshot_version() -> str:
    """The current version, creating one if the cache has none (first start, flush)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# The last version this process bumped to: lets the map's per-process copy
# (routes.mapdoc.snapshot) see this process's own writes at once.
bumped_here = ""


def snapshot_bump() -> str:
    global bumped_here
    version = _new_version()
    cache.set(VERSION_KEY, version, timeout=None)
    bumped_here = version
    return version


def _bump_after_commit() -> None:
    try:
        snapshot_bump()
    except (RedisError, OSError):  # cache down: data is committed; readers rebuild
        log.exception("could not bump the map snapshot version")


def snapshot_mark_stale() -> None:
    """Bump the version once the current transaction commits (at once outside one)."""
    transaction.on_commit(_bump_after_commit)

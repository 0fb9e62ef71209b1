"""The map snapshot as stored bytes: built once per version, gzipped, cached.

Crisis traffic must cost a cache read, not a query and a serialiser per request
(docs/architecture.md, rule 2). The document is built by one selector, serialised
once, compressed once and kept in the shared cache under the version that the write
path bumps; each web process also keeps the last one in memory and rechecks the
version at most every MAP_SNAPSHOT_RECHECK_MS (20 ms by default; at once after
its own writes). A warm request under load thus reads neither the database nor
the cache; another process's write shows within that window.

One build serves every shape of the document (a SnapshotSet): the full one for
the API, a lean one per language for the map page (routes.mapdoc.lean) and each
crossing's detail for its popup. They are cut from one selector call, so they
never disagree, and they share one version, one cache entry and one lock.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from redis.exceptions import RedisError

from exitwatch.lib import snapshot as version_store
from exitwatch.lib.snapshot import snapshot_version
from routes.mapdoc.lean import lean_document
from routes.mapdoc.selectors import map_snapshot_document

log = logging.getLogger(__name__)

ENTRY_KEY = "map:snapshot:{version}"
LATEST_KEY = "map:snapshot:latest"
BUILD_LOCK_KEY = "map:snapshot:building:{version}"
# With no write at all the document still ages (crossings turn stale, the flight
# window moves), so it is rebuilt at the next such moment and at least this often.
MAX_AGE = timedelta(minutes=5)
ENTRY_TIMEOUT = 2 * int(MAX_AGE.total_seconds())
BUILD_LOCK_SECONDS = 30


FULL = "full"


def lean_shape(lang: str) -> str:
    """The shape name of the lean document in `lang`."""
    return f"lean-{lang}"


def detail_shape(slug: str) -> str:
    """The shape name of one crossing's detail."""
    return f"crossing/{slug}"


@dataclass
class StoredSnapshot:
    """One serialised document: its gzip bytes and the strong ETags of both codings."""

    version: str
    etag: str
    etag_gzip: str
    gzip_body: bytes
    _identity: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def identity_body(self) -> bytes:
        # Few clients refuse gzip: decompress once per process, not per request.
        if self._identity is None:
            self._identity = gzip.decompress(self.gzip_body)
        return self._identity

    def for_cache(self) -> StoredSnapshot:
        return StoredSnapshot(self.version, self.etag, self.etag_gzip, self.gzip_body)


@dataclass
class SnapshotSet:
    """Every shape of one version of the map document, by shape name: FULL,
    lean_shape(lang) for each language, detail_shape(slug) for each crossing."""

    version: str
    fresh_until: float
    shapes: dict[str, StoredSnapshot]

    @property
    def full(self) -> StoredSnapshot:
        return self.shapes[FULL]

    def is_fresh(self, now: float) -> bool:
        return now < self.fresh_until

    def for_cache(self) -> SnapshotSet:
        return SnapshotSet(
            self.version,
            self.fresh_until,
            {name: shape.for_cache() for name, shape in self.shapes.items()},
        )


def _fresh_until(document: dict[str, Any], now: datetime) -> datetime:
    moments = [now + MAX_AGE, _next_local_midnight(now)]
    for feature in document["crossings"]["features"]:
        props = feature["properties"]
        if props["last_observed_at"] and not props["stale"]:
            observed = datetime.fromisoformat(props["last_observed_at"])
            moments.append(observed + timedelta(minutes=props["stale_after_minutes"]))
    return min(moments)


def _next_local_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _stored(content: Any, *, version: str, level: int) -> StoredSnapshot:
    body = json.dumps(
        content, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()
    digest = hashlib.sha256(body).hexdigest()[:32]
    snapshot = StoredSnapshot(
        version=version,
        etag=f'"{digest}"',
        # A strong validator names one representation: the gzip bytes get their own.
        etag_gzip=f'"{digest}-gz"',
        # mtime=0 keeps the bytes, hence caches downstream, identical across builds.
        gzip_body=gzip.compress(body, compresslevel=level, mtime=0),
    )
    snapshot._identity = body
    return snapshot


def snapshot_build(*, version: str, at: datetime | None = None) -> SnapshotSet:
    """Build, serialise and compress every shape of the document for `version`
    (a few queries), or of the map as it stood `at`."""
    now = timezone.now()
    document = map_snapshot_document(version=version, now=now, at=at)
    # A past moment's map only changes when history is added, which moves the
    # version its cache key carries; it never ages by itself.
    fresh_until = float("inf") if at else _fresh_until(document, now).timestamp()
    # A past moment's map is built for whoever asks first, so it is packed at
    # gzip's usual level; the live one is built once for everyone.
    level = 6 if at else 9
    contents = {FULL: document}
    for lang, _name in settings.LANGUAGES:
        contents[lean_shape(lang)] = lean_document(document, lang)
    for feature in document["crossings"]["features"]:
        contents[detail_shape(feature["id"])] = feature
    return SnapshotSet(
        version=version,
        fresh_until=fresh_until,
        shapes={
            name: _stored(content, version=version, level=level)
            for name, content in contents.items()
        },
    )


class _ProcessMemo:
    """The last snapshot this process served, shared by its threads, and when it
    last checked the shared version."""

    def __init__(self) -> None:
        self.snapshot: SnapshotSet | None = None
        self.checked_at = 0.0
        self.seen_bump = ""


_memo = _ProcessMemo()


def snapshot_forget_local() -> None:
    """Drop this process's copy (tests; the cache copy is keyed by version anyway)."""
    _memo.snapshot, _memo.checked_at, _memo.seen_bump = None, 0.0, ""


def snapshot_current() -> SnapshotSet:
    """The snapshot for the current version, building it if nobody has yet.

    While another process builds a new version, this one serves the last built
    document rather than pile the same queries onto the database.
    """
    now = time.time()
    local = _memo.snapshot
    recheck = settings.MAP_SNAPSHOT_RECHECK_MS / 1000
    own_bump = version_store.bumped_here
    if (
        local is not None
        and local.is_fresh(now)
        and own_bump == _memo.seen_bump
        and time.monotonic() - _memo.checked_at < recheck
    ):
        return local
    try:
        version = snapshot_version()
    except (RedisError, OSError):
        log.exception("cache unavailable: building the map snapshot uncached")
        return snapshot_build(version="uncached")
    _memo.checked_at, _memo.seen_bump = time.monotonic(), own_bump
    if local is not None and local.version == version and local.is_fresh(now):
        return local
    try:
        snapshot = _from_cache_or_build(version, now, local)
    except (RedisError, OSError):
        log.exception("cache unavailable: building the map snapshot uncached")
        return snapshot_build(version=version)
    _memo.snapshot = snapshot
    return snapshot


def _from_cache_or_build(
    version: str, now: float, local: SnapshotSet | None
) -> SnapshotSet:
    stored = cache.get(ENTRY_KEY.format(version=version))
    if stored is not None and stored.is_fresh(now):
        return stored
    lock = BUILD_LOCK_KEY.format(version=version)
    if cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS):
        try:
            snapshot = snapshot_build(version=version)
            cache.set_many(
                {
                    ENTRY_KEY.format(version=version): snapshot.for_cache(),
                    LATEST_KEY: snapshot.for_cache(),
                },
                timeout=ENTRY_TIMEOUT,
            )
            return snapshot
        finally:
            cache.delete(lock)
    previous = stored or local or cache.get(LATEST_KEY)
    if previous is not None:
        return previous
    return snapshot_build(version=version)


AT_KEY = "map:at:{minute}:{version}"
# A past map changes only with the version; an hour bounds what an unused
# minute costs the cache.
AT_TIMEOUT = 60 * 60


def snapshot_at(at: datetime) -> SnapshotSet:
    """The map as it stood at `at` (a UTC minute: exitwatch.lib.moments), built
    once per minute and version and then read from the shared cache: no query."""
    try:
        version = snapshot_version()
    except (RedisError, OSError):
        log.exception("cache unavailable: building the past map uncached")
        return snapshot_build(version="uncached", at=at)
    key = AT_KEY.format(minute=at.strftime("%Y%m%dT%H%MZ"), version=version)
    try:
        stored = cache.get(key)
    except (RedisError, OSError):
        log.exception("cache unavailable: building the past map uncached")
        return snapshot_build(version=version, at=at)
    if stored is not None:
        return stored
    snapshot = snapshot_build(version=version, at=at)
    try:
        cache.set(key, snapshot.for_cache(), timeout=AT_TIMEOUT)
    except (RedisError, OSError):
        log.exception("cache unavailable: the past map is not kept")
    return snapshot

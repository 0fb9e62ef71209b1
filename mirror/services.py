"""Making a mirror: render every document, sign the manifest, swap the folder in.

The copy is written into a fresh sibling folder and renamed over the old one
only when whole, so whoever publishes or reads the folder sees one export or
the next, never a mix of two or a half-written one. One export runs at a time
(a job lock shared by the command and the scheduled task).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.utils import timezone

from exitwatch.lib.jobs import job_lock_ttl, single_run
from mirror.documents import PAGE_LANGS, documents
from mirror.manifest import FORMAT, MANIFEST, SIGNATURE, manifest_bytes
from mirror.render import ExportFailed, MirrorSite, document_render, origins_render
from mirror.signing import public_key_of, sign

log = logging.getLogger(__name__)
LOCK = "mirror-export"


@dataclass(frozen=True)
class Export:
    status: str  # "done", or "busy" when another export was running
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    made_at: datetime | None = None


@contextmanager
def _one_moment() -> Iterator[None]:
    """On PostgreSQL, every page read from one snapshot of the database, in a
    transaction that cannot write; elsewhere (or inside a caller's transaction,
    as in tests) the reads as they come."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write(path: Path, data: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _replaceable(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ExportFailed(f"{target} exists and is not a folder: not replacing it")
    if target.is_dir() and any(target.iterdir()) and not _is_mirror(target):
        raise ExportFailed(
            f"{target} exists and is not a mirror (no signed {MANIFEST} of ours): "
            "not replacing it"
        )


def _is_mirror(folder: Path) -> bool:
    # A web root may well have a manifest.json of its own (a web app's): ours
    # is signed and says its format.
    if not (folder / SIGNATURE).is_file():
        return False
    try:
        return json.loads((folder / MANIFEST).read_bytes()).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _leftovers(target: Path) -> None:
    """Folders a killed export left beside the target (none can be in use: the
    lock is held)."""
    for kind in ("new", "old"):
        for stale in target.parent.glob(f".{target.name}.{kind}-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put `new` where `target` is: a rename each, the old copy removed after."""
    if not target.exists():
        os.rename(new, target)
        return
    old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _fill(work: Path, site_url: str, made_at: datetime) -> int:
    """Write every document and the static files they use; the bytes written."""
    written = 0
    with _one_moment():
        site = MirrorSite(site_url, documents(), made_at)
        for document in site.documents:
            written += _write(work / document.file, document_render(site, document))
        for lang in PAGE_LANGS:
            name, body = origins_render(site, lang)
            written += _write(work / name, body)
    for asset in sorted(site.assets):
        source = finders.find(asset)
        if source is None:
            raise ExportFailed(f"static file {asset} is not found")
        written += _write(work / "static" / asset, Path(source).read_bytes())
    return written


def mirror_export(
    *, directory: Path, signing_key: str, site_url: str, owner: str
) -> Export:
    """Replace `directory` with a whole new signed mirror of the site.

    Raises ExportFailed (nothing replaced) when a page cannot be rendered or the
    folder is something else than a mirror."""
    with single_run(LOCK, owner=owner, ttl=job_lock_ttl()) as acquired:
        if not acquired:
            return Export("busy")
        return _export(Path(directory).absolute(), signing_key, site_url)


def _export(target: Path, signing_key: str, site_url: str) -> Export:
    started = time.monotonic()
    made_at = timezone.now()
    _replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _leftovers(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        written = _fill(work, site_url, made_at)
        public_key = public_key_of(signing_key)
        manifest = manifest_bytes(
            root=work, made_at=made_at, site_url=site_url, public_key=public_key
        )
        written += _write(work / MANIFEST, manifest)
        written += _write(
            work / SIGNATURE, (sign(signing_key, manifest) + "\n").encode()
        )
        files = sum(1 for path in work.rglob("*") if path.is_file())
        # mkdtemp's folder is private; a mirror is for the web server to read.
        work.chmod(0o755)
        _swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    seconds = time.monotonic() - started
    log.info(
        "mirror exported to %s: %d files, %d bytes, %.1f s",
        target,
        files,
        written,
        seconds,
    )
    return Export("done", files, written, seconds, made_at)

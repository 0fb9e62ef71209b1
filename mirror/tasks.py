"""The scheduled export of the static mirror (beat, every MIRROR_EXPORT_MINUTES)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings

from exitwatch.lib.jobs import DeliveryCappedTask, new_owner
from mirror.services import mirror_export

log = logging.getLogger(__name__)


@shared_task(bind=True, base=DeliveryCappedTask)
def export_mirror(self: DeliveryCappedTask) -> dict[str, Any]:
    """Replace MIRROR_EXPORT_DIR with a fresh signed mirror; skipped without a
    key or a folder, and while another export runs."""
    if not settings.MIRROR_SIGNING_KEY or not settings.MIRROR_EXPORT_DIR:
        log.info("mirror export skipped: MIRROR_SIGNING_KEY or MIRROR_EXPORT_DIR unset")
        return {"status": "skipped"}
    done = mirror_export(
        directory=Path(settings.MIRROR_EXPORT_DIR),
        signing_key=settings.MIRROR_SIGNING_KEY,
        site_url=settings.SITE_URL,
        owner=self.request.id or new_owner("eager"),
    )
    return {"status": done.status, "files": done.files, "bytes": done.bytes}

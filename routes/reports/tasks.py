"""Periodic work for traveller reports (thin wrappers over report services)."""

from typing import Any

from celery import shared_task

from exitwatch.lib.jobs import TRANSIENT_RETRY, DeliveryCappedTask, new_owner
from routes.reports.notify import MAIL_TRANSIENT, reports_notify_moderators
from routes.reports.services import report_purge


@shared_task(acks_late=True)
def purge_old_reports() -> int:
    """Delete raw reports past the retention period; idempotent, safe to repeat."""
    return report_purge()


@shared_task(
    bind=True,
    base=DeliveryCappedTask,
    autoretry_for=MAIL_TRANSIENT,
    **TRANSIENT_RETRY,
)
def notify_moderators(self: DeliveryCappedTask) -> dict[str, Any]:
    """E-mail the moderators about pending reports (beat, every minute); a mail
    server that fails is retried with backoff, and the reports stay unmarked."""
    notice = reports_notify_moderators(owner=self.request.id or new_owner("eager"))
    return {"status": notice.status, "reports": notice.reports}

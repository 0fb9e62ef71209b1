"""Periodic work for traveller reports (thin wrappers over report_services)."""

from celery import shared_task

from routes.report_services import report_purge


@shared_task(acks_late=True)
def purge_old_reports() -> int:
    """Delete raw reports past the retention period; idempotent, safe to repeat."""
    return report_purge()

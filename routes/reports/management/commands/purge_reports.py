"""`manage.py purge_reports`: delete raw traveller reports past their retention."""

from django.conf import settings
from django.core.management.base import BaseCommand

from routes.reports.services import report_purge


class Command(BaseCommand):
    help = (
        "Delete traveller reports submitted more than REPORT_RETENTION_DAYS ago. "
        "Crossing history (medians and counts) is kept."
    )

    def handle(self, *args: object, **options: object) -> None:
        deleted = report_purge()
        self.stdout.write(
            f"deleted {deleted} reports older than "
            f"{settings.REPORT_RETENTION_DAYS} days"
        )

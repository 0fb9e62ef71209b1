"""`manage.py pause_failing_webhooks`: pause the subscriptions whose deliveries
have failed for WEBHOOK_PAUSE_AFTER_DAYS (beat does it hourly)."""

from django.core.management.base import BaseCommand

from alerts.services import subscriptions_pause_failing


class Command(BaseCommand):
    help = (
        "Pause every webhook subscription with no successful delivery since its "
        "first failure WEBHOOK_PAUSE_AFTER_DAYS ago, and tell its owner."
    )

    def handle(self, *args: object, **options: object) -> None:
        paused = subscriptions_pause_failing()
        self.stdout.write(f"paused {paused}")

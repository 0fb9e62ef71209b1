"""`manage.py send_due_webhooks`: attempt every webhook delivery that is due, here
and now (beat's send-due-webhooks entry queues the same attempts for workers)."""

from django.core.management.base import BaseCommand

from alerts.delivery import deliveries_send_due


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery that is due (first attempts whose task "
        "was lost, and retries), one after another in this process."
    )

    def handle(self, *args: object, **options: object) -> None:
        outcomes = deliveries_send_due(limit=10_000)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        self.stdout.write(counts or "nothing due")

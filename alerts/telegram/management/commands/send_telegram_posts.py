"""`manage.py send_telegram_posts`: send every Telegram post that is due, here
and now (beat's send-telegram-posts entry queues the same sends for workers)."""

from django.core.management.base import BaseCommand

from alerts.telegram.sender import posts_send_due


class Command(BaseCommand):
    help = (
        "Send every Telegram post that is due (posts whose task was lost, held "
        "back by Telegram's limits, or retried), one chat after another."
    )

    def handle(self, *args: object, **options: object) -> None:
        outcomes = posts_send_due(limit=10_000)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        self.stdout.write(counts or "nothing due")

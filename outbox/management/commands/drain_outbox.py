"""`manage.py drain_outbox`: send pending outbox messages now (also run by beat)."""

from django.core.management.base import BaseCommand, CommandError

from outbox.models import OutboxMessage
from outbox.services import outbox_drain


class Command(BaseCommand):
    help = "Send the tasks waiting in the outbox to the broker."

    def handle(self, *args: object, **options: object) -> None:
        sent = outbox_drain(limit=10_000)
        left = OutboxMessage.objects.pending().count()
        self.stdout.write(f"sent {sent}, pending {left}")
        if left and not sent:
            raise CommandError(f"broker unavailable: {left} message(s) still pending")

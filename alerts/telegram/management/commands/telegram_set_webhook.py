"""`manage.py telegram_set_webhook --url https://…/telegram/webhook/`: tell
Telegram where to POST the bot's updates, with TELEGRAM_WEBHOOK_SECRET as the
secret token it sends back with each one."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alerts.telegram.botapi import BotError, bot_call


class Command(BaseCommand):
    help = "Register the bot's webhook URL (and its secret token) with Telegram."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", required=True, help="https://…/telegram/webhook/")

    def handle(self, *args: object, **options: object) -> None:
        url = str(options["url"])
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("TELEGRAM_BOT_TOKEN is not set")
        if not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError("TELEGRAM_WEBHOOK_SECRET is not set")
        if not url.startswith("https://"):
            raise CommandError(f"--url must be an https:// address, not {url!r}")
        try:
            bot_call(
                "setWebhook",
                {
                    "url": url,
                    "secret_token": settings.TELEGRAM_WEBHOOK_SECRET,
                    "allowed_updates": ["message"],
                },
            )
        except BotError as exc:
            raise CommandError(f"setWebhook failed: {exc}") from None
        self.stdout.write(f"webhook set: {url}")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelegramConfig(AppConfig):
    name = "alerts.telegram"
    label = "telegram"
    verbose_name = _("Telegram channels and bot")

    def ready(self) -> None:
        # Posts are written in the status change event's own transaction.
        from alerts.events import status_change_listen
        from alerts.telegram.services import posts_for_event

        status_change_listen(posts_for_event)

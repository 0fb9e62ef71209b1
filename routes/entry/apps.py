from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    """What each destination lets a Russian citizen do: dated, sourced rules."""

    name = "routes.entry"
    label = "entry"
    verbose_name = _("Entry rules")

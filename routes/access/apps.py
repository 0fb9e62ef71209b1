from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may cross where: dated, sourced rules per crossing and side."""

    name = "routes.access"
    label = "access"
    verbose_name = _("Crossing access")

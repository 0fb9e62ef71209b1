from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    """Border crossings, their append-only history and exit routes."""

    name = "routes"
    verbose_name = _("Routes and crossings")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlightsConfig(AppConfig):
    """Airports, flight reports and the price providers polled for them."""

    name = "routes.flights"
    label = "flights"
    verbose_name = _("Flights")

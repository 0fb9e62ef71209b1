from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Places a traveller starts from, and how far a drive from them is."""

    name = "routes.places"
    label = "places"
    verbose_name = _("Places")

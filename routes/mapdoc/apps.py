from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapDocConfig(AppConfig):
    """The map document (one cached snapshot), the map page and the lite page."""

    name = "routes.mapdoc"
    label = "mapdoc"
    verbose_name = _("Map document")

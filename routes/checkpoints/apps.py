from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    """Rosgranstroy's official list of checkpoints: the Russian side of every
    crossing as the operator publishes it."""

    name = "routes.checkpoints"
    label = "checkpoints"
    verbose_name = _("Official checkpoint list")

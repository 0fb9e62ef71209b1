from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MirrorConfig(AppConfig):
    """The signed static mirror: its export, its check and its public key."""

    name = "mirror"
    label = "mirror"
    verbose_name = _("Static mirror")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = _("Routes and crossings")

    def ready(self) -> None:
        from routes.map_snapshot import snapshot_follow_models

        snapshot_follow_models()

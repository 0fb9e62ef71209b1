"""App configs of the project package (kept free of model imports: loaded first)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

# Third-party admin pages staff need: lockouts (see and clear them) and TOTP devices.
THIRD_PARTY_ADMIN = ("axes.admin", "django_otp.plugins.otp_totp.admin")


class AdminConfig(SimpleAdminConfig):
    """The admin with our 2FA-aware site, discovering only our own apps' admin
    modules and the third-party ones named above.

    Django's own autodiscovery would load django-leaflet's admin, which imports
    GDAL (absent here), and register auth's users and groups, which staff manage
    from the command line only.
    """

    default_site = "exitwatch.admin_site.ExitWatchAdminSite"

    def ready(self) -> None:
        super().ready()
        base = Path(settings.BASE_DIR).resolve()
        for app_config in apps.get_app_configs():
            path = Path(app_config.path).resolve()
            ours = path.is_relative_to(base) and "site-packages" not in path.parts
            if ours and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
        for name in THIRD_PARTY_ADMIN:
            import_module(name)

"""App configs of the project package (kept free of model imports: loaded first)."""

from django.contrib.admin.apps import SimpleAdminConfig


class AdminConfig(SimpleAdminConfig):
    """SimpleAdminConfig (no autodiscovery, see settings) with our 2FA-aware site."""

    default_site = "exitwatch.admin_site.ExitWatchAdminSite"

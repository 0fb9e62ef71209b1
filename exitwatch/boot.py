"""Load settings early so a bad environment variable stops start-up with one line."""

import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    """Import the settings; on a configuration error print one line and exit 2."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitwatch.settings")
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        print(f"ExitWatch configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None

"""Typed readers of environment variables for the settings.

Each returns the default when the variable is unset and raises ImproperlyConfigured,
naming the variable, when its value cannot mean what the setting needs: a typo in
production stops start-up instead of quietly running with something else.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value without surrounding whitespace, or `default` if unset."""
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    """1/true/yes/on or 0/false/no/off (any case; empty is false)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1, 0, true, false, yes, no"
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number no smaller than `minimum`; unset or blank gives `default`."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated items, each stripped; empty items are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]

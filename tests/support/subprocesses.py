"""Python and manage.py in a subprocess, with only the settings a test gives it.

Settings are read once, at import, from the environment: a test that wants other
settings starts a fresh interpreter. Whatever the runner's own environment sets
(tests/testenv.py's DJANGO_* defaults, a developer's EMAIL_HOST or SITE_URL) is
left out, so the subprocess sees the defaults plus what the test names.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Prefixes (and whole names) of the settings a subprocess never inherits.
NOT_INHERITED = (
    "DJANGO_",
    "EMAIL_",
    "REPORT_",
    "SITE_URL",
    "MIRRORS",
    "ONION_ADDRESS",
)


def clean_environment(*, unset: Iterable[str] = (), **env: str) -> dict[str, str]:
    """This process's environment without settings, and without `unset`, plus `env`."""
    dropped = set(unset)
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(NOT_INHERITED) and name not in dropped
    }
    environment.update(env)
    return environment


def python(
    code: str = "",
    *args: str,
    unset: Iterable[str] = (),
    timeout: float = 120,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run `python -c code args` (or `python args` without code) in the repository,
    with `clean_environment(unset=unset, **env)`; output captured as text."""
    command = [sys.executable, *(["-c", code] if code else []), *args]
    return subprocess.run(
        command,
        cwd=ROOT,
        env=clean_environment(unset=unset, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `manage.py args` as `python` does."""
    return python("", "manage.py", *args, **env)

"""The admin lives at DJANGO_ADMIN_PATH; the default /admin/ is then gone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
moved = client.get("/staff-7f3a/login/").status_code
print(moved, client.get("/admin/login/").status_code)
"""


def test_the_admin_moves_to_the_configured_path():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="1",
        DJANGO_ADMIN_PATH="staff-7f3a/",
        DJANGO_STATIC_MANIFEST="0",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["200", "404"]

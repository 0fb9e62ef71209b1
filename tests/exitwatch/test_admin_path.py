"""The admin lives at DJANGO_ADMIN_PATH; the default /admin/ is then gone."""

from tests.support.subprocesses import python

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
    result = python(
        SCRIPT,
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="1",
        DJANGO_ADMIN_PATH="staff-7f3a/",
        DJANGO_STATIC_MANIFEST="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["200", "404"]

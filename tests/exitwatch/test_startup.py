"""Start-up: bad settings stop with one line; no GDAL needed; no missing migrations."""

import json

import pytest
from django.core.management import call_command

from tests.support.onion import ONION
from tests.support.subprocesses import manage, python

# Makes GDAL look absent even on a machine that has it, the way Django looks for it.
HIDE_GDAL = """
import ctypes.util
_find = ctypes.util.find_library
ctypes.util.find_library = lambda name: None if "gdal" in name.lower() else _find(name)
"""


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60},
            "DJANGO_ALLOWED_HOSTS",
        ),
        ({"DJANGO_DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        (
            {"DJANGO_DEBUG": "1", "MAP_SNAPSHOT_RECHECK_MS": "soon"},
            "MAP_SNAPSHOT_RECHECK_MS",
        ),
        ({"DJANGO_DEBUG": "1", "SITE_URL": "exitwatch.example.org"}, "SITE_URL"),
        (
            {"DJANGO_DEBUG": "1", "MIRRORS": "https://a.example.net,mirror.example"},
            "MIRRORS: 'mirror.example' is not an http:// or https:// address",
        ),
        ({"DJANGO_DEBUG": "1", "MIRRORS": "ftp://a.example.net"}, "MIRRORS"),
        (
            {"DJANGO_DEBUG": "1", "ONION_ADDRESS": "http://exitwatch.onion"},
            "ONION_ADDRESS",
        ),
        # One letter wrong: its checksum gives it away.
        ({"DJANGO_DEBUG": "1", "ONION_ADDRESS": "a" + ONION[1:]}, "has a typo"),
        (
            {"DJANGO_DEBUG": "1", "REPORT_MODERATOR_EMAILS": "desk@example.org,bob"},
            "REPORT_MODERATOR_EMAILS",
        ),
        (
            {"DJANGO_DEBUG": "1", "REPORT_NOTIFY_LANGUAGE": "de"},
            "REPORT_NOTIFY_LANGUAGE",
        ),
        ({"DJANGO_DEBUG": "1", "EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        # Counted in 5-minute steps: less would be no limit at all.
        (
            {"DJANGO_DEBUG": "1", "REPORT_NOTIFY_INTERVAL": "299"},
            "REPORT_NOTIFY_INTERVAL",
        ),
        (
            {
                "DJANGO_DEBUG": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            },
            "EMAIL_FILE_PATH",
        ),
    ],
)
def test_a_bad_environment_stops_start_up_with_one_line_naming_it(env, named):
    result = manage("check", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert lines[0].startswith("ExitWatch configuration error:")


def test_production_settings_start_with_a_real_key_and_hosts():
    result = manage(
        "check",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="exitwatch.example.org",
    )
    assert result.returncode == 0, result.stderr


SHOW_ADDRESSES = """
import django
django.setup()
import json
from django.conf import settings
print(json.dumps([settings.ALLOWED_HOSTS, settings.ONION_ADDRESS, settings.MIRRORS]))
"""


def test_the_onion_address_is_an_allowed_host_and_mirrors_a_list():
    onion = ONION.capitalize()  # as copied by someone tidy
    result = python(
        SHOW_ADDRESSES,
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="exitwatch.example.org",
        ONION_ADDRESS=f" {onion} ",
        MIRRORS="https://a.example.net, http://b.example.org/ru/",
    )
    assert result.returncode == 0, result.stderr
    hosts, address, mirrors = json.loads(result.stdout.strip().splitlines()[-1])
    assert hosts == ["exitwatch.example.org", onion.lower()]
    assert address == onion.lower()  # as a Host header arrives
    assert mirrors == ["https://a.example.net", "http://b.example.org/ru/"]


SHOW_MAIL = """
import django
django.setup()
from django.conf import settings
print(settings.SITE_URL, settings.EMAIL_BACKEND.rsplit(".", 2)[-2],
      settings.DEFAULT_FROM_EMAIL)
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DJANGO_DEBUG": "1"},
            "http://localhost:8000 console ExitWatch <noreply@localhost>",
        ),
        (
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": "k" * 60,
                "DJANGO_ALLOWED_HOSTS": "exitwatch.example.org,localhost",
                "EMAIL_HOST": "smtp.example.org",
            },
            "https://exitwatch.example.org smtp "
            "ExitWatch <noreply@exitwatch.example.org>",
        ),
        # Production without EMAIL_HOST: SMTP to localhost, never the console
        # (mail printed there would count as sent to the moderators).
        (
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": "k" * 60,
                "DJANGO_ALLOWED_HOSTS": "exitwatch.example.org",
            },
            "https://exitwatch.example.org smtp "
            "ExitWatch <noreply@exitwatch.example.org>",
        ),
        (
            {"DJANGO_DEBUG": "1", "SITE_URL": "https://exits.example.net/"},
            "https://exits.example.net console ExitWatch <noreply@exits.example.net>",
        ),
    ],
)
def test_links_and_mail_default_to_what_the_environment_allows(env, expected):
    result = python(SHOW_MAIL, DJANGO_SETTINGS_MODULE="exitwatch.settings", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_it_starts_and_serves_the_admin_without_gdal():
    result = python(
        HIDE_GDAL
        + """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "exitwatch.settings"
import django
django.setup()
from django.core.management import call_command
call_command("check")
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
status = Client().get("/admin/login/").status_code
assert status == 200, status
assert "leaflet" in sys.modules and "leaflet.admin" not in sys.modules
print("started without GDAL")
""",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert "started without GDAL" in result.stdout


def test_the_gdal_check_would_catch_autodiscovery_of_leaflet_admin():
    # Control: with GDAL hidden, django-leaflet's admin module fails to import
    # (makinacorpus/django-leaflet#299) — what default admin autodiscovery would do.
    result = python(
        HIDE_GDAL
        + """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "exitwatch.settings"
import django
django.setup()
import leaflet.admin
""",
        DJANGO_DEBUG="1",
    )
    assert result.returncode != 0
    assert "GDAL" in result.stderr


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

"""Production settings pass Django's deployment checklist and set the secure cookies."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="exitwatch.example.org",
        **extra,
    )
    return env


def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_nothing_to_warn_about():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # One silenced: "SecurityMiddleware missing", as Django cannot see that ours
    # (exitwatch.lib.onion) is a subclass of it; the next test checks its settings.
    assert "System check identified no issues (1 silenced)" in result.stdout


def test_the_security_middleware_is_djangos_own_with_the_onion_host_let_through():
    from django.conf import settings
    from django.middleware.security import SecurityMiddleware
    from django.utils.module_loading import import_string

    (ours,) = [m for m in settings.MIDDLEWARE if "SecurityMiddleware" in m]
    assert issubclass(import_string(ours), SecurityMiddleware)
    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W001"]


def test_production_cookies_are_host_prefixed_secure_and_sessions_short():
    code = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_SSL_REDIRECT",
    "SESSION_ENGINE")}))
"""
    result = run("-c", code, DJANGO_SETTINGS_MODULE="exitwatch.settings")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_SSL_REDIRECT"]
    # Sessions in the database: no web replica keeps state of its own.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_a_bad_admin_path_stops_start_up_with_one_line():
    result = run("manage.py", "check", DJANGO_ADMIN_PATH="../etc")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        line
        for line in result.stderr.strip().splitlines()
        if "DJANGO_ADMIN_PATH" in line
    ]


def test_a_tile_url_with_a_placeholder_inside_the_host_is_refused():
    result = run(
        "manage.py",
        "check",
        MAP_TILES_URL="https://tiles.{s}.example.org/{z}/{x}/{y}.png",
    )
    assert result.returncode == 2
    assert "MAP_TILES_URL" in result.stderr

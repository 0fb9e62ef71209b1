"""Liveness and readiness probes."""

import secrets
import subprocess

import pytest
from django.test import override_settings

from tests.support.subprocesses import python

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_ok_when_the_database_answers(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert ("redis" in body["checks"]) == bool(settings.REDIS_URL)


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_redis_away_makes_readiness_degraded_not_unavailable(client):
    response = client.get("/readyz")
    # The site serves from the database without Redis: keep it in rotation.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"] == "ConnectionError"


PROBE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
r = Client().get("/readyz", HTTP_HOST=HOST)
print(r.status_code, r.content.decode())
"""


def probe_in_production(database_url: str, host: str) -> subprocess.CompletedProcess:
    return python(
        f"HOST = {host!r}\n{PROBE}",
        unset=["REDIS_URL"],
        DJANGO_SETTINGS_MODULE="exitwatch.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="exitwatch.example.org",
        DJANGO_STATIC_MANIFEST="0",
        DATABASE_URL=database_url,
    )


def test_readiness_is_503_with_the_reason_when_the_database_is_down():
    result = probe_in_production("postgres://nobody@127.0.0.1:1/none", "10.0.0.5:8000")
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert '"status": "unavailable"' in body
    assert '"error": "OperationalError"' in body
    assert "127.0.0.1" not in body  # details go to the log, not to the public


def test_probes_by_address_over_http_pass_host_check_and_https_redirect(tmp_path):
    # Production settings: unknown Host and plain HTTP would be 400 / 301 elsewhere.
    result = probe_in_production(f"sqlite:///{tmp_path}/db.sqlite3", "10.0.0.5:8000")
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "200", body

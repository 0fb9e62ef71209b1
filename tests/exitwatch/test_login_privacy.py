"""What django-axes keeps of a staff login is what docs/security.md says: the
username and address of failures (for the lockout), never the browser, and no
log line naming the browser or the address."""

import logging

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import override_settings

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 OlgasFirefox/128"
ADDRESS = "198.51.100.7"


@pytest.fixture
def olga(db):
    return StaffFactory(username="olga")


def log_in(client, password):
    return client.post(
        LOGIN,
        {"username": "olga", "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=ADDRESS,
        HTTP_USER_AGENT=BROWSER,
    )


@override_settings(NUM_PROXIES=1)
def test_no_login_logs_the_staff_members_browser_or_address(client, olga, caplog):
    caplog.set_level(logging.DEBUG)
    assert log_in(client, "wrong").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302
    client.post("/admin/logout/", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT=BROWSER)
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("Successful login" in line for line in axes_lines)
    for line in axes_lines:
        assert "OlgasFirefox" not in line
        assert ADDRESS not in line


@override_settings(NUM_PROXIES=1)
def test_a_failed_login_keeps_username_and_address_but_not_the_browser(client, olga):
    log_in(client, "wrong")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("olga", ADDRESS)
    assert attempt.user_agent == ""
    log_in(client, PASSWORD)
    assert not AccessLog.objects.exists()


@override_settings(NUM_PROXIES=1, AXES_FAILURE_LIMIT=3)
def test_the_lockout_still_counts_failures_from_changing_browsers(client, olga):
    statuses = []
    for n in range(3):
        statuses.append(
            client.post(
                LOGIN,
                {"username": "olga", "password": "wrong", "next": "/admin/"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=ADDRESS,
                HTTP_USER_AGENT=f"Browser/{n}",
            ).status_code
        )
    assert statuses == [200, 200, 429]

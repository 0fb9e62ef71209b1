"""Staff login: lockout per username + address, a second factor for enrolled staff."""

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def olga(db):
    return StaffFactory(username="olga")


def attempt(client, address, password, forged="", **extra):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"username": "olga", "password": password, "next": "/admin/", **extra},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(NUM_PROXIES=1, AXES_FAILURE_LIMIT=3)
def test_guessing_locks_out_the_guesser_but_not_the_user_from_her_own_address(
    client, olga
):
    # A forged origin in front changes nothing: nginx's hop is what counts.
    statuses = [
        attempt(client, "203.0.113.66", "wrong", forged=f"10.9.9.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]  # the third failure trips the lockout
    locked = attempt(client, "203.0.113.66", PASSWORD, forged="10.9.9.9")
    assert locked.status_code == 429
    own = attempt(client.__class__(), "198.51.100.7", PASSWORD)
    assert own.status_code == 302
    assert own["Location"] == "/admin/"


@override_settings(NUM_PROXIES=1, AXES_FAILURE_LIMIT=3)
def test_a_good_login_before_the_limit_clears_the_failures(client, olga):
    for _ in range(2):
        attempt(client, "198.51.100.7", "wrong")
    assert attempt(client, "198.51.100.7", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        attempt(client, "198.51.100.7", "wrong")
    assert attempt(client, "198.51.100.7", PASSWORD).status_code == 302


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits).token()


def test_staff_with_a_device_cannot_log_in_with_the_password_alone(client, olga):
    totp_device(olga)
    response = attempt(client, "198.51.100.7", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_staff_with_a_device_get_in_with_its_code(client, olga):
    device = totp_device(olga)
    response = attempt(
        client,
        "198.51.100.7",
        PASSWORD,
        otp_device=device.persistent_id,
        otp_token=f"{code(device):06d}",
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, olga):
    device = totp_device(olga)
    wrong = (code(device) + 1) % 1_000_000
    response = attempt(
        client,
        "198.51.100.7",
        PASSWORD,
        otp_device=device.persistent_id,
        otp_token=f"{wrong:06d}",
    )
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_session_without_the_second_factor_is_sent_back_to_log_in(client, olga):
    totp_device(olga)
    client.force_login(olga)  # as if logged in before the device was added
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_staff_without_a_device_log_in_with_the_password_when_not_required(
    client, olga
):
    assert attempt(client, "198.51.100.7", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_when_required_staff_without_a_device_are_refused_with_a_reason(client, olga):
    response = attempt(client, "198.51.100.7", PASSWORD)
    assert response.status_code == 200
    assert "second factor" in response.content.decode()
    client.force_login(olga)
    assert client.get("/admin/").status_code == 302

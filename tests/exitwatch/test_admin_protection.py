"""Staff login: lockout per username + address and per username across addresses
(an IPv6 /64 counting as one address), a second factor for enrolled staff, required
by default in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import StaffFactory, UserFactory
from tests.support.subprocesses import python

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


@override_settings(NUM_PROXIES=1)
def test_guesses_spread_over_many_addresses_lock_the_username(client, olga):
    # 24 guesses from 6 addresses: 4 each, under the 5 one address may make.
    statuses = [
        attempt(client.__class__(), f"203.0.113.{10 + i % 6}", "wrong").status_code
        for i in range(24)
    ]
    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429] * 5  # the 20th failure trips the username brake
    # While it holds, the username is refused from anywhere, the password unread.
    late = attempt(client, "198.51.100.7", PASSWORD)
    assert late.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(NUM_PROXIES=1)
def test_the_username_brake_does_not_lock_other_staff(client, olga):
    StaffFactory(username="pavel")
    for i in range(20):
        attempt(client.__class__(), f"203.0.113.{i}", "wrong")
    pavel = client.post(
        LOGIN,
        {"username": "pavel", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert pavel.status_code == 302


@override_settings(NUM_PROXIES=1)
def test_an_ipv6_64_counts_as_one_address(client, olga):
    statuses = [
        attempt(client.__class__(), f"2001:db8:7:9::{i:x}", "wrong").status_code
        for i in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    same_network = attempt(client.__class__(), "2001:db8:7:9:ffff::1", PASSWORD)
    assert same_network.status_code == 429
    other_network = attempt(client.__class__(), "2001:db8:7:a::1", PASSWORD)
    assert other_network.status_code == 302


SHOW_OTP = """
import django
django.setup()
from django.conf import settings
print(settings.ADMIN_REQUIRE_OTP)
"""
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "exitwatch.example.org",
}


@pytest.mark.parametrize(
    ("env", "required"),
    [
        (PRODUCTION, "True"),
        ({**PRODUCTION, "DJANGO_ADMIN_REQUIRE_OTP": "0"}, "False"),
        ({"DJANGO_DEBUG": "1"}, "False"),
        ({"DJANGO_DEBUG": "1", "DJANGO_ADMIN_REQUIRE_OTP": "1"}, "True"),
    ],
)
def test_production_requires_a_second_factor_unless_turned_off(env, required):
    result = python(SHOW_OTP, DJANGO_SETTINGS_MODULE="exitwatch.settings", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == required


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


@override_settings(ADMIN_REQUIRE_OTP=False)
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


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_the_first_staff_member_enrols_a_device_from_the_command_line(client, olga):
    out = StringIO()
    call_command("add_totp_device", "olga", stdout=out)
    device = TOTPDevice.objects.get(user=olga)
    assert device.confirmed
    assert "otpauth://totp/ExitWatch%3Aolga?secret=" in out.getvalue()
    response = attempt(
        client,
        "198.51.100.7",
        PASSWORD,
        otp_device=device.persistent_id,
        otp_token=f"{code(device):06d}",
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_command_refuses_unknown_and_non_staff_users(db):
    UserFactory(username="reader")
    for name in ("nobody", "reader"):
        with pytest.raises(CommandError):
            call_command("add_totp_device", name, stdout=StringIO())
    assert not TOTPDevice.objects.exists()

"""`make run`'s staff logins: made once, printed with the address it serves, and
never reset by a second run (which would log staff out)."""

from __future__ import annotations

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user, get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def demo_staff(settings, logins_file: Path, *args: str) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_staff", "--logins-file", str(logins_file), *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) / (\S+) ", output, re.M))


def still_signed_in(client: Client) -> bool:
    request = HttpRequest()
    request.session = client.session
    return get_user(request).is_authenticated


def test_make_run_hands_its_port_to_the_printed_admin_address():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=9100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [line for line in plan.splitlines() if "demo_staff" in line]
    assert "--address http://127.0.0.1:9100" in line


def test_it_prints_the_admin_address_it_is_given(settings, tmp_path):
    output = demo_staff(
        settings, tmp_path / "logins.json", "--address", "http://127.0.0.1:9100"
    )
    assert "Staff logins for http://127.0.0.1:9100/admin/ :" in output


def test_a_second_run_keeps_the_passwords_and_the_sessions(settings, tmp_path):
    logins_file = tmp_path / "logins.json"
    first = printed_logins(demo_staff(settings, logins_file))
    assert set(first) == {"demo", "editor"}
    demo = get_user_model().objects.get(username="demo")
    assert demo.check_password(first["demo"])
    signed_in = Client()
    signed_in.force_login(demo)
    assert still_signed_in(signed_in)

    second = printed_logins(demo_staff(settings, logins_file))
    assert second == first
    demo.refresh_from_db()
    assert demo.check_password(first["demo"])
    # A session is tied to the password's hash, which did not change.
    assert still_signed_in(signed_in)
    assert logins_file.stat().st_mode & 0o777 == 0o600


def test_reset_sets_new_passwords(settings, tmp_path):
    logins_file = tmp_path / "logins.json"
    first = printed_logins(demo_staff(settings, logins_file))
    second = printed_logins(demo_staff(settings, logins_file, "--reset"))
    assert second["demo"] != first["demo"]
    assert get_user_model().objects.get(username="demo").check_password(second["demo"])


def test_a_password_changed_since_is_not_printed_or_reset(settings, tmp_path):
    logins_file = tmp_path / "logins.json"
    demo_staff(settings, logins_file)
    user = get_user_model().objects.get(username="editor")
    user.set_password("the editor's own")
    user.save()
    output = demo_staff(settings, logins_file)
    assert "editor / " not in output
    assert (
        "editor   (editor): exists; its password was printed when it was set" in output
    )
    user.refresh_from_db()
    assert user.check_password("the editor's own")

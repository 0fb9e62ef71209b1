"""Create the development staff logins once and print them (refused outside DEBUG).

`make run` calls this every time it starts. Setting a new password on each run
would log staff out (Django ties a session to the password's hash) and make
the logins printed last time wrong, so the accounts are created once; their
passwords are kept in a local file (git-ignored, readable by its owner only,
development only) and printed again from there while they still match.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

EDITORS_GROUP = "Crossing editors"
ACCOUNTS = (("demo", True), ("editor", False))


def default_logins_file() -> Path:
    return Path(settings.BASE_DIR) / ".demo-staff.json"


class Command(BaseCommand):
    help = (
        "Create a demo superuser and a demo crossing editor once and print their "
        "logins; --reset gives them new passwords (which logs them out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000",
            help="Where the site is served, e.g. http://127.0.0.1:9100 "
            "(the admin address printed is under it).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Set new passwords even if the accounts exist.",
        )
        parser.add_argument(
            "--logins-file",
            type=Path,
            default=None,
            help="Where the passwords are kept between runs "
            "(default: .demo-staff.json in the project).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_staff only runs with DJANGO_DEBUG=1")
        path: Path = options["logins_file"] or default_logins_file()
        saved = _read(path)
        User = get_user_model()
        logins, unknown = [], []
        for username, superuser in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            password = saved.get(username, "")
            if user is None or options["reset"]:
                user = user or User(username=username)
                password = secrets.token_urlsafe(9)
                user.set_password(password)
            elif not (password and user.check_password(password)):
                # Made before this file existed, or changed since: its password
                # is the owner's now.
                password = ""
            user.is_staff = True
            user.is_superuser = superuser
            user.save()
            if not superuser:
                user.groups.add(Group.objects.get(name=EDITORS_GROUP))
            role = "superuser" if superuser else "editor"
            if password:
                logins.append((username, password, role))
                saved[username] = password
            else:
                unknown.append((username, role))
        _write(path, saved)
        admin = options["address"].rstrip("/") + reverse("admin:index")
        self.stdout.write(f"Staff logins for {admin} :")
        for username, password, role in logins:
            self.stdout.write(f"  {username} / {password}   ({role})")
        for username, role in unknown:
            self.stdout.write(
                f"  {username}   ({role}): exists; its password was printed when "
                "it was set (`manage.py demo_staff --reset` sets a new one)"
            )


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _write(path: Path, logins: dict[str, str]) -> None:
    # Created readable by its owner only: the passwords are in clear.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(logins, out, indent=2, sort_keys=True)

"""Create the development staff logins and print them (refused outside DEBUG)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

EDITORS_GROUP = "Crossing editors"


class Command(BaseCommand):
    help = "Create a demo superuser and a demo crossing editor with fresh passwords."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_staff only runs with DJANGO_DEBUG=1")
        User = get_user_model()
        logins = []
        for username, superuser in (("demo", True), ("editor", False)):
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = superuser
            user.save()
            if not superuser:
                user.groups.add(Group.objects.get(name=EDITORS_GROUP))
            logins.append((username, password, "superuser" if superuser else "editor"))
        self.stdout.write("Staff logins for http://127.0.0.1:8000/admin/ :")
        for username, password, role in logins:
            self.stdout.write(f"  {username} / {password}   ({role})")

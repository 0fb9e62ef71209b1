"""`manage.py notify_moderators`: e-mail the moderators about pending reports now
(what beat's notify-moderators entry and each submission's task do)."""

from django.core.management.base import BaseCommand, CommandError

from exitwatch.lib.jobs import JobStoreUnavailable, new_owner
from routes.reports.notify import MAIL_TRANSIENT, reports_notify_moderators


class Command(BaseCommand):
    help = (
        "Send one e-mail to the moderators about the pending traveller reports "
        "no e-mail has told of yet (at most one per REPORT_NOTIFY_INTERVAL)."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            notice = reports_notify_moderators(owner=new_owner("command"))
        except JobStoreUnavailable as exc:
            raise CommandError(str(exc)) from None
        except MAIL_TRANSIENT as exc:
            raise CommandError(
                f"the mail server failed ({type(exc).__name__}: {exc}); "
                "the reports wait for the next run"
            ) from None
        if notice.status == "sent":
            self.stdout.write(
                f"sent: {notice.reports} reports, {notice.recipients} recipients"
            )
        elif notice.status == "waiting":
            self.stdout.write(f"waiting: the next e-mail may go at {notice.next_at}")
        else:
            self.stdout.write(notice.status)

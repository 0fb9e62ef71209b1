"""Tell the moderators that traveller reports wait for them: one e-mail per run.

Beat runs `routes.reports.tasks.notify_moderators` every minute (and `manage.py
notify_moderators` does the same by hand or from cron). The reports themselves
are the queue: a pending report nobody has been told of yet is work, so a report
stored while Redis is down needs no broker and is told of by the first sweep
after it returns. A run:

1. takes the job lock, so runs never overlap;
2. looks only at reports whose 5-minute step is over: reports keep their times
   to 5 minutes (the privacy page promises it), and the sweep's own rhythm, not
   a submission, decides when an e-mail goes, so its Date tells no more;
3. sends nothing if the last e-mail may have gone less than
   REPORT_NOTIFY_INTERVAL ago (marks keep only the 5-minute step, so the wait
   counts from that step's end): one e-mail per interval, not one per report;
4. sends one e-mail: how many reports per crossing, how long the oldest has
   waited, how many wait in all, a link to the moderation queue. Nothing a
   traveller wrote (notes) and nothing that could point to one (modes,
   languages, finer times, reports of a step not over yet);
5. only then marks those reports as told of, with the time floored to 5 minutes.
   If the mail server fails, or the worker dies before the mark, nothing is
   marked and the next run sends again: at least once, never lost. Under the
   lock no two runs can e-mail the same reports at once.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exitwatch.lib.coarse_time import PUBLIC_TIME_STEP, floor_time
from exitwatch.lib.jobs import job_lock_ttl, single_run
from routes.models import BorderCrossing
from routes.reports.models import ReportState, TravellerReport

log = logging.getLogger(__name__)

MODERATE_PERMISSION = "reports.moderate_travellerreport"
VIEW_PERMISSION = "reports.view_travellerreport"
LOCK = "report-moderators-notify"
# What a mail server that is away or busy raises; worth trying again later.
MAIL_TRANSIENT = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class ModeratorNotice:
    """What one run did: "sent", "nothing" (no report waits), "later" (reports
    wait for their 5-minute step to end), "waiting" (the interval holds the next
    e-mail back until `next_at`), "no-recipients" or "busy" (another run holds
    the lock)."""

    status: str
    reports: int = 0
    recipients: int = 0
    next_at: datetime | None = None


def moderator_emails() -> list[str]:
    """Who hears of pending reports: active staff with an e-mail who may see and
    moderate them (the permissions directly, through a group such as "Crossing
    editors", or as superusers), and REPORT_MODERATOR_EMAILS. Staff who can open
    the queue only: the e-mail links to it in the admin."""

    def holding(permission: str) -> QuerySet:
        return get_user_model().objects.with_perm(
            permission,
            is_active=True,
            include_superusers=True,
            # Several backends are configured (django-axes first); permissions
            # are ModelBackend's.
            backend="django.contrib.auth.backends.ModelBackend",
        )

    users = (
        holding(MODERATE_PERMISSION)
        .filter(pk__in=holding(VIEW_PERMISSION).values("pk"), is_staff=True)
        .exclude(email="")
    )
    found: dict[str, str] = {}
    for address in [
        *users.values_list("email", flat=True),
        *settings.REPORT_MODERATOR_EMAILS,
    ]:
        found.setdefault(address.strip().lower(), address.strip())
    return sorted(found.values(), key=str.lower)


def queue_url() -> str:
    """The moderation queue in the admin (whatever its path), as an absolute URL."""
    path = reverse("admin:reports_travellerreport_changelist")
    return f"{settings.SITE_URL}{path}?{urlencode({'state': ReportState.PENDING})}"


def reports_notify_moderators(
    *, owner: str, now: datetime | None = None
) -> ModeratorNotice:
    """Send one e-mail about the pending reports no e-mail has told of yet.

    Safe to run at any time, from several workers at once, and again after a
    failure. Raises what the mail backend raised (MAIL_TRANSIENT when the mail
    server fails), having marked nothing. Do not call it inside a transaction: no
    row should stay locked while a mail server is slow, and the mark must be
    committed once the e-mail is gone.
    """
    with single_run(LOCK, owner=owner, ttl=job_lock_ttl()) as acquired:
        if not acquired:
            return ModeratorNotice("busy")
        return _notify(now or timezone.now())


def _notify(now: datetime) -> ModeratorNotice:
    waiting = TravellerReport.objects.awaiting_notice()
    # Stored submission times are floored: a report's step is over at +5 min.
    ready = list(
        waiting.filter(submitted_at__lte=now - PUBLIC_TIME_STEP).values_list(
            "id", "crossing_id", "submitted_at"
        )
    )
    if not ready:
        return ModeratorNotice("later" if waiting.exists() else "nothing")
    last = TravellerReport.objects.aggregate(last=Max("moderators_notified_at"))["last"]
    if last is not None:
        # The mark is the step the last e-mail went in: it may have gone at
        # its very end.
        next_at = (
            last + PUBLIC_TIME_STEP + timedelta(seconds=settings.REPORT_NOTIFY_INTERVAL)
        )
        if now < next_at:
            return ModeratorNotice("waiting", next_at=next_at)
    recipients = moderator_emails()
    if not recipients:
        log.warning("reports wait for moderation, but no moderator has an e-mail")
        return ModeratorNotice("no-recipients")

    per_crossing = Counter(crossing_id for _, crossing_id, _ in ready)
    oldest = min(submitted_at for _, _, submitted_at in ready)
    # Any failure here leaves the reports unmarked for the next run (and a
    # transient one makes the task retry): the mark comes after the e-mail.
    _send(per_crossing, oldest=oldest, now=now, recipients=recipients)
    TravellerReport.objects.filter(
        id__in=[pk for pk, _, _ in ready], moderators_notified_at__isnull=True
    ).update(moderators_notified_at=floor_time(now))
    return ModeratorNotice("sent", reports=len(ready), recipients=len(recipients))


def _send(
    per_crossing: Counter[int],
    *,
    oldest: datetime,
    now: datetime,
    recipients: list[str],
) -> None:
    crossings = BorderCrossing.objects.in_bulk(list(per_crossing))
    count = sum(per_crossing.values())
    # Only reports whose step is over: a count that grew since the step ended
    # would tell that someone reported just now.
    in_queue = (
        TravellerReport.objects.pending()
        .filter(submitted_at__lte=now - PUBLIC_TIME_STEP)
        .count()
    )
    minutes = settings.REPORT_NOTIFY_INTERVAL // 60
    with translation.override(settings.REPORT_NOTIFY_LANGUAGE):
        subject = ngettext(
            "[ExitWatch] %(count)d traveller report waits for moderation",
            "[ExitWatch] %(count)d traveller reports wait for moderation",
            count,
        ) % {"count": count}
        rows = sorted(
            ((crossings[pk].name, n) for pk, n in per_crossing.items()),
            key=lambda row: (-row[1], row[0]),
        )
        lines = [
            ngettext(
                "%(count)d new traveller report waits for moderation.",
                "%(count)d new traveller reports wait for moderation.",
                count,
            )
            % {"count": count},
            _("The oldest was sent %(age)s ago.") % {"age": timesince(oldest, now)},
            "",
            _("By crossing:"),
            *(f"  {name}: {n}" for name, n in rows),
            "",
            _("Pending in the queue now: %(count)d.") % {"count": in_queue},
            _("Moderation queue: %(url)s") % {"url": queue_url()},
            "",
            ngettext(
                "You get this because you may moderate traveller reports on "
                "ExitWatch. At most one such e-mail is sent every %(minutes)d "
                "minute; read the reports themselves in the queue.",
                "You get this because you may moderate traveller reports on "
                "ExitWatch. At most one such e-mail is sent every %(minutes)d "
                "minutes; read the reports themselves in the queue.",
                minutes,
            )
            % {"minutes": minutes},
        ]
    # Bcc: the moderators of this site are at risk too; they do not see each
    # other's addresses.
    EmailMessage(subject=subject, body="\n".join(lines), bcc=recipients).send()

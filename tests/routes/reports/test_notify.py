"""Moderators hear of pending reports by e-mail: who, how often, what it says, and
what happens when the mail server fails."""

import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from exitwatch.lib.coarse_time import floor_time
from outbox.models import OutboxMessage
from routes.reports.models import TravellerReport
from routes.reports.notify import moderator_emails, reports_notify_moderators
from routes.reports.services import report_submit, trusted_token_issue
from routes.reports.tasks import notify_moderators
from tests.factories import CrossingFactory, EditorFactory, StaffFactory, UserFactory
from tests.routes.reports.reporting import ReportFactory

pytestmark = pytest.mark.django_db

NOTE = "Queue by the fuel station, I am Ivan in the red Lada"


@pytest.fixture
def nino(db):
    """An editor (the "Crossing editors" group may moderate) with an e-mail."""
    return EditorFactory(username="nino", email="nino@exitwatch.example")


@pytest.fixture
def lars():
    return CrossingFactory(slug="upper-lars", name_en="Upper Lars")


@pytest.fixture
def vaalimaa():
    return CrossingFactory(slug="vaalimaa", name_en="Vaalimaa", country="FI")


def step_over():
    """A submission time whose 5-minute step is over: a notice may tell of it."""
    return floor_time(timezone.now()) - timedelta(minutes=10)


def run(now=None):
    return reports_notify_moderators(owner="test", now=now)


def test_moderators_are_staff_who_may_moderate_and_the_configured_addresses(
    nino, settings
):
    StaffFactory(username="boss", email="boss@exitwatch.example", is_superuser=True)
    direct = StaffFactory(username="tamar", email="Tamar@exitwatch.example")
    direct.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["moderate_travellerreport", "view_travellerreport"]
        )
    )
    blind = StaffFactory(username="blind", email="blind@exitwatch.example")
    blind.user_permissions.add(
        Permission.objects.get(codename="moderate_travellerreport")
    )  # may moderate but not see the queue: the link would answer 403
    StaffFactory(username="viewer", email="viewer@exitwatch.example")  # no permission
    EditorFactory(username="gone", email="gone@exitwatch.example", is_active=False)
    EditorFactory(username="silent", email="")
    outsider = UserFactory(username="outsider", email="outsider@exitwatch.example")
    outsider.user_permissions.add(
        Permission.objects.get(codename="moderate_travellerreport")
    )  # not staff: the admin link would not open for them
    settings.REPORT_MODERATOR_EMAILS = [
        "desk@exitwatch.example",
        "NINO@exitwatch.example",
    ]

    assert moderator_emails() == [
        "boss@exitwatch.example",
        "desk@exitwatch.example",
        "nino@exitwatch.example",
        "Tamar@exitwatch.example",
    ]


def test_many_reports_make_one_e_mail_counted_by_crossing(nino, lars, vaalimaa):
    ReportFactory.create_batch(3, crossing=lars, submitted_at=step_over())
    ReportFactory(crossing=vaalimaa, submitted_at=step_over())
    notice = run()
    assert (notice.status, notice.reports, notice.recipients) == ("sent", 4, 1)

    [message] = mail.outbox
    assert message.subject == "[ExitWatch] 4 traveller reports wait for moderation"
    assert message.bcc == ["nino@exitwatch.example"]
    assert message.to == []  # moderators do not see each other's addresses
    assert "  Upper Lars: 3\n  Vaalimaa: 1\n" in message.body
    queue = "https://testserver" + reverse("admin:reports_travellerreport_changelist")
    assert f"Moderation queue: {queue}?state=pending" in message.body
    stamps = set(
        TravellerReport.objects.values_list("moderators_notified_at", flat=True)
    )
    assert len(stamps) == 1 and None not in stamps

    assert run(now=timezone.now() + timedelta(hours=1)).status == "nothing"
    assert len(mail.outbox) == 1


def test_the_oldest_report_s_age_is_given(nino, lars):
    now = timezone.now()
    ReportFactory(crossing=lars, submitted_at=now - timedelta(hours=2, minutes=5))
    ReportFactory(crossing=lars, submitted_at=now - timedelta(minutes=10))
    run(now=now)
    assert "The oldest was sent 2\xa0hours, 5\xa0minutes ago." in mail.outbox[0].body


def test_the_e_mail_holds_nothing_a_traveller_wrote_or_that_points_to_one(nino, lars):
    report = ReportFactory(
        crossing=lars,
        submitted_at=step_over(),
        note=NOTE,
        language="ru",
        wait_minutes=437,
        queue_position=173,
        observed_at=timezone.now() - timedelta(minutes=45),
    )
    run()
    [message] = mail.outbox
    text = message.subject + message.body
    for private in [
        NOTE,
        "Ivan",
        "437",
        "173",
        f"#{report.pk}",
        f"/{report.pk}/",
        report.observed_at.strftime("%H:%M"),
        report.observed_at.astimezone().strftime("%H:%M"),
    ]:
        assert private not in text, private


def test_no_more_than_one_e_mail_per_interval(nino, lars, settings):
    settings.REPORT_NOTIFY_INTERVAL = 600
    base = floor_time(timezone.now()) - timedelta(hours=1)
    ReportFactory(crossing=lars, submitted_at=base)
    # Sent at the very end of a step: the mark keeps only the step.
    assert run(now=base + timedelta(minutes=9, seconds=59)).status == "sent"

    late = ReportFactory(crossing=lars, submitted_at=base + timedelta(minutes=5))
    # So the wait counts from the step's end: 10 minutes after 0:09:59 at least.
    held = run(now=base + timedelta(minutes=19, seconds=59))
    assert (held.status, held.next_at) == ("waiting", base + timedelta(minutes=20))
    late.refresh_from_db()
    assert late.moderators_notified_at is None
    assert len(mail.outbox) == 1

    # The next sweep after the interval sends what arrived meanwhile.
    assert run(now=base + timedelta(minutes=20)).reports == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[ExitWatch] 1 traveller report waits")


def test_no_e_mail_tells_of_a_report_before_its_5_minute_step_is_over(nino, lars):
    # Reports keep their times to 5 minutes; an e-mail (whose Date stays in
    # mailboxes) sent at once would time a lone report to the second.
    step = floor_time(timezone.now()) - timedelta(hours=1)
    report = ReportFactory(crossing=lars, submitted_at=step)
    fresh = ReportFactory(crossing=lars, submitted_at=step + timedelta(minutes=5))
    assert run(now=step + timedelta(minutes=4, seconds=59)).status == "later"
    assert mail.outbox == []
    notice = run(now=step + timedelta(minutes=5))
    assert (notice.status, notice.reports) == ("sent", 1)
    # Nor does the count give away the report of the step still running.
    assert "Pending in the queue now: 1." in mail.outbox[0].body
    fresh.refresh_from_db()
    assert fresh.moderators_notified_at is None
    report.refresh_from_db()
    # The mark, too, keeps no finer time than the report.
    assert report.moderators_notified_at == step + timedelta(minutes=5)


def test_a_failed_send_marks_nothing_and_the_next_run_sends(nino, lars, monkeypatch):
    ReportFactory.create_batch(2, crossing=lars, submitted_at=step_over())

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(mail.EmailMessage, "send", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            run()
    assert not TravellerReport.objects.filter(moderators_notified_at__isnull=False)
    assert mail.outbox == []

    # Nor did the failure count as an e-mail sent: no wait for the interval.
    assert run().reports == 2
    assert len(mail.outbox) == 1


def test_the_task_retries_a_mail_server_that_fails_for_a_while(
    nino, lars, monkeypatch, eager_celery
):
    ReportFactory(crossing=lars, submitted_at=step_over())
    real_send = mail.EmailMessage.send
    failures = iter([ConnectionRefusedError(111, "Connection refused")])

    def flaky(self, fail_silently=False):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_send(self, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    # Eager: the retry runs at once (throw=False lets apply() do it).
    result = notify_moderators.apply(throw=False).get()
    assert result == {"status": "sent", "reports": 1}
    assert len(mail.outbox) == 1


def test_a_trusted_report_queues_no_notice(nino, lars):
    token, _raw = trusted_token_issue(label="Volunteers at Upper Lars")
    report = report_submit(
        crossing=lars, mode="car", status_seen="open", wait_minutes=90,
        direction="leaving", trusted_token=token,
    )  # fmt: skip
    assert report.state == "approved"
    assert run(now=timezone.now() + timedelta(hours=1)).status == "nothing"
    assert mail.outbox == []


def test_a_submission_sends_nothing_itself_the_sweep_tells_of_it_later(
    nino, lars, eager_celery, django_capture_on_commit_callbacks
):
    # The sweep's rhythm, not the submission, decides when an e-mail goes: an
    # e-mail at the moment of a report would time it to the second.
    ReportFactory(crossing=lars, submitted_at=step_over())  # ready and waiting
    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(
            crossing=lars, direction="leaving", mode="car", status_seen="open",
            wait_minutes=90,
        )  # fmt: skip
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()  # the report row is the queue

    notice = run(now=report.submitted_at + timedelta(minutes=5))
    assert (notice.status, notice.reports) == ("sent", 2)
    assert "Pending in the queue now: 2." in mail.outbox[0].body


def test_nobody_to_tell_leaves_the_reports_for_later(lars):
    ReportFactory(crossing=lars, submitted_at=step_over())
    assert run().status == "no-recipients"
    assert not TravellerReport.objects.filter(moderators_notified_at__isnull=False)


def test_the_e_mail_can_go_out_in_russian(nino, lars, settings):
    settings.REPORT_NOTIFY_LANGUAGE = "ru"
    lars.name_ru = "Верхний Ларс"
    lars.save()
    ReportFactory.create_batch(2, crossing=lars, submitted_at=step_over())
    run()
    [message] = mail.outbox
    assert message.subject == "[ExitWatch] 2 сообщения путешественников ждут модерации"
    assert "По пунктам пропуска:\n  Верхний Ларс: 2\n" in message.body
    assert "Очередь модерации: https://testserver/" in message.body


def test_the_command_sends_and_says_so(nino, lars, monkeypatch, capsys):
    ReportFactory(crossing=lars, submitted_at=step_over())

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPAuthenticationError(535, b"bad credentials")

    with monkeypatch.context() as patched:
        patched.setattr(mail.EmailMessage, "send", refuse)
        with pytest.raises(CommandError, match=r"^the mail server failed \(SMTPAuth"):
            call_command("notify_moderators")
    call_command("notify_moderators")
    assert capsys.readouterr().out == "sent: 1 reports, 1 recipients\n"
    assert len(mail.outbox) == 1

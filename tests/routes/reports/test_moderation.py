"""Moderation: approving moves the crossing through the one write path (median of
recent approved reports per mode, with its basis), rejecting needs a reason,
the queue puts outliers and old reports first, and editors can do all of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from exitwatch.lib.coarse_time import floor_time
from exitwatch.lib.formatting import iso_z
from routes.models import CrossingUpdate
from routes.reports.models import TravellerReport
from routes.reports.selectors import report_queue
from routes.reports.services import report_approve, report_reject, report_verify
from routes.services import crossing_update_record
from tests.factories import CrossingFactory, StaffFactory
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    ADMIN_QUEUE,
    ReportFactory,
    no_static_manifest,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_static_manifest"),
]


def ago(minutes):
    return floor_time(timezone.now() - timedelta(minutes=minutes))


def test_the_shown_wait_is_the_median_of_recent_approved_reports(crossing, editor):
    for minutes, wait in [(50, 300), (40, 420), (30, 360), (20, 9000)]:
        report_approve(
            report=ReportFactory(
                crossing=crossing, wait_minutes=wait, observed_at=ago(minutes)
            ),
            actor=editor,
        )
    crossing.refresh_from_db()
    assert crossing.wait_car == 390  # median of 300, 360, 420, 9000
    basis = crossing.wait_basis["car"]
    assert basis["source_kind"] == "traveller"
    assert basis["count"] == 4
    assert basis["window_minutes"] == 180
    assert basis["last_observed_at"] == iso_z(ago(20))  # "…T01:45:00Z"
    assert crossing.last_observed_at == ago(20)
    assert CrossingUpdate.objects.filter(source_kind="traveller").count() == 4


def test_reports_older_than_the_window_no_longer_count(crossing, editor, settings):
    settings.REPORT_RECENT_MINUTES = 60
    report_approve(
        report=ReportFactory(crossing=crossing, wait_minutes=60, observed_at=ago(120)),
        actor=editor,
    )
    report_approve(
        report=ReportFactory(crossing=crossing, wait_minutes=600, observed_at=ago(10)),
        actor=editor,
    )
    crossing.refresh_from_db()
    assert (crossing.wait_car, crossing.wait_basis["car"]["count"]) == (600, 1)


def test_a_late_approval_within_the_window_joins_the_current_median(crossing, editor):
    report_approve(
        report=ReportFactory(crossing=crossing, wait_minutes=100, observed_at=ago(5)),
        actor=editor,
    )
    report_approve(
        report=ReportFactory(crossing=crossing, wait_minutes=300, observed_at=ago(60)),
        actor=editor,
    )
    crossing.refresh_from_db()
    assert crossing.wait_car == 200
    assert crossing.wait_basis["car"]["count"] == 2
    assert crossing.last_observed_at == ago(5)


def test_a_report_older_than_the_window_goes_to_history_only(crossing, editor):
    report_approve(
        report=ReportFactory(crossing=crossing, wait_minutes=100, observed_at=ago(5)),
        actor=editor,
    )
    late = report_approve(
        report=ReportFactory(
            crossing=crossing,
            wait_minutes=900,
            status_seen="closed",
            observed_at=ago(24 * 60),
        ),
        actor=editor,
    )
    crossing.refresh_from_db()
    assert (crossing.wait_car, crossing.status) == (100, "open")
    assert late.crossing_update.applied is False
    assert late.crossing_update.wait_car == 900


def test_bicycles_count_towards_the_car_queue_and_modes_keep_their_own(
    crossing, editor
):
    report_approve(
        report=ReportFactory(crossing=crossing, mode="bicycle", wait_minutes=200),
        actor=editor,
    )
    report_approve(
        report=ReportFactory(crossing=crossing, mode="bus", wait_minutes=45),
        actor=editor,
    )
    crossing.refresh_from_db()
    assert (crossing.wait_car, crossing.wait_bus) == (200, 45)
    assert crossing.wait_basis["car"]["count"] == 1
    assert crossing.wait_basis["bus"]["count"] == 1


def test_a_staff_figure_replaces_the_basis_of_its_mode_only(crossing, editor):
    report_approve(
        report=ReportFactory(crossing=crossing, mode="bus", wait_minutes=45),
        actor=editor,
    )
    crossing_update_record(
        crossing=crossing, source_kind="staff", waits={"car": 90}, actor=editor
    )
    crossing.refresh_from_db()
    assert crossing.wait_basis["car"] == {"source_kind": "staff"}
    assert crossing.wait_basis["bus"]["source_kind"] == "traveller"
    crossing_update_record(crossing=crossing, source_kind="staff", waits={"bus": None})
    crossing.refresh_from_db()
    assert "bus" not in crossing.wait_basis


def test_the_write_path_refuses_a_basis_for_a_wait_not_reported(crossing):
    with pytest.raises(ValidationError) as exc:
        crossing_update_record(
            crossing=crossing,
            source_kind="traveller",
            waits={"car": 10},
            wait_basis={"bus": {"count": 3}},
        )
    assert "wait_basis" in exc.value.message_dict
    assert CrossingUpdate.objects.count() == 0


def test_entering_reports_are_published_but_do_not_move_the_crossing(crossing, editor):
    report = report_approve(
        report=ReportFactory(crossing=crossing, direction="entering"), actor=editor
    )
    assert report.state == "approved"
    assert report.crossing_update is None
    assert CrossingUpdate.objects.count() == 0


def test_a_report_with_only_a_position_moves_the_status_not_the_wait(crossing, editor):
    report_approve(
        report=ReportFactory(
            crossing=crossing,
            wait_minutes=None,
            queue_position=80,
            status_seen="restricted",
        ),
        actor=editor,
    )
    crossing.refresh_from_db()
    assert (crossing.status, crossing.wait_car) == ("restricted", None)
    assert CrossingUpdate.objects.get().source_kind == "traveller"


def test_only_pending_reports_can_be_approved_or_rejected(crossing, editor):
    report = report_approve(report=ReportFactory(crossing=crossing), actor=editor)
    with pytest.raises(ValidationError):
        report_approve(report=report, actor=editor)
    with pytest.raises(ValidationError):
        report_reject(report=report, actor=editor, reason="spam")
    assert CrossingUpdate.objects.count() == 1


def test_a_rejection_needs_a_reason(crossing, editor):
    report = ReportFactory(crossing=crossing)
    with pytest.raises(ValidationError) as exc:
        report_reject(report=report, actor=editor, reason="  ")
    assert "reason" in exc.value.message_dict
    report.refresh_from_db()
    assert report.state == "pending"


def test_the_queue_puts_outliers_first_then_the_oldest(crossing):
    other = CrossingFactory(slug="sadakhlo")
    old_normal = ReportFactory(
        crossing=crossing, wait_minutes=360, submitted_at=ago(90), observed_at=ago(90)
    )
    for minutes in (80, 70):
        ReportFactory(
            crossing=crossing,
            wait_minutes=400,
            submitted_at=ago(minutes),
            observed_at=ago(minutes),
            state="approved",
            moderated_at=timezone.now(),
        )
    newer_normal = ReportFactory(
        crossing=crossing, wait_minutes=330, submitted_at=ago(30), observed_at=ago(30)
    )
    outlier = ReportFactory(
        crossing=crossing, wait_minutes=5, submitted_at=ago(10), observed_at=ago(10)
    )
    lone = ReportFactory(
        crossing=other, wait_minutes=5, submitted_at=ago(60), observed_at=ago(60)
    )
    queue = list(report_queue())
    assert queue == [outlier, old_normal, lone, newer_normal]
    assert queue[0].is_outlier and queue[0].recent_median == 360
    # A crossing with too few reports has no median to be an outlier against.
    assert (lone.pk, queue[2].recent_median, queue[2].is_outlier) == (
        queue[2].pk,
        None,
        False,
    )


def test_an_editor_approves_from_the_admin_queue(crossing, editor):
    report = ReportFactory(crossing=crossing, wait_minutes=240)
    client = Client()
    client.force_login(editor)
    response = client.post(
        ADMIN_QUEUE, {"action": "approve", "_selected_action": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.moderated_by) == ("approved", editor)
    crossing.refresh_from_db()
    assert crossing.wait_car == 240
    assert crossing.last_actor_label == "nino"


def test_an_editor_rejects_with_a_reason_through_an_intermediate_form(crossing, editor):
    report = ReportFactory(crossing=crossing, note="Everything is fine, go!")
    client = Client()
    client.force_login(editor)
    ask = client.post(
        ADMIN_QUEUE, {"action": "reject", "_selected_action": [report.pk]}
    )
    assert ask.status_code == 200
    assert "Everything is fine" in ask.content.decode()
    # The wait as every page writes it, not in bare minutes.
    assert "waited 2 h" in ask.content.decode()
    assert "120 min" not in ask.content.decode()
    empty = client.post(
        ADMIN_QUEUE,
        {"action": "reject", "_selected_action": [report.pk], "apply": "1"},
    )
    assert empty.status_code == 200  # the form again, with its error
    report.refresh_from_db()
    assert report.state == "pending"
    done = client.post(
        ADMIN_QUEUE,
        {
            "action": "reject",
            "_selected_action": [report.pk],
            "apply": "1",
            "reason": "Contradicts three other reports",
        },
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.reject_reason) == (
        "rejected",
        "Contradicts three other reports",
    )
    assert CrossingUpdate.objects.count() == 0


def test_an_editor_marks_a_report_verified(crossing, editor):
    report = ReportFactory(crossing=crossing)
    client = Client()
    client.force_login(editor)
    client.post(
        ADMIN_QUEUE, {"action": "mark_verified", "_selected_action": [report.pk]}
    )
    report.refresh_from_db()
    assert (report.verified, report.verified_by, report.state) == (
        True,
        editor,
        "pending",
    )
    assert report_verify(report=report, actor=None).verified_by == editor


def test_staff_outside_the_editors_group_cannot_moderate(crossing):
    report = ReportFactory(crossing=crossing)
    client = Client()
    client.force_login(StaffFactory(username="intern"))
    assert client.get(ADMIN_QUEUE).status_code == 403
    client.post(ADMIN_QUEUE, {"action": "approve", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.state == "pending"


def test_reports_cannot_be_edited_or_added_in_the_admin(crossing, editor, superuser):
    report = ReportFactory(crossing=crossing, note="original")
    for user in (editor, superuser):
        client = Client()
        client.force_login(user)
        client.post(f"{ADMIN_QUEUE}{report.pk}/change/", {"note": "rewritten"})
        assert client.get(f"{ADMIN_QUEUE}add/").status_code == 403
    report.refresh_from_db()
    assert report.note == "original"


def test_the_admin_queue_lists_pending_reports_in_few_queries(
    crossing, editor, django_assert_max_num_queries
):
    for minutes in range(30):
        ReportFactory(crossing=crossing, wait_minutes=100 + minutes)
    client = Client()
    client.force_login(editor)
    # +2 for the hardened admin: the idle-timeout session save and the 2FA check.
    with django_assert_max_num_queries(14):
        response = client.get(ADMIN_QUEUE)
    assert len(response.context["cl"].result_list) == 30


def test_the_public_list_shows_only_approved_reports_in_few_queries(
    crossing, editor, client, django_assert_max_num_queries
):
    for _ in range(5):
        report_approve(report=ReportFactory(crossing=crossing), actor=editor)
    ReportFactory(crossing=crossing, note="pending, not public")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/reports/?crossing=upper-lars")
    results = response.json()["results"]
    assert len(results) == 5
    assert all(
        r["state"] == "approved" and r["source_kind"] == "traveller" for r in results
    )
    assert {"moderated_by", "reject_reason"}.isdisjoint(results[0])
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/reports/crossings/upper-lars/").status_code == 200


def test_public_times_are_floored_to_five_minutes(crossing, editor, client):
    report = ReportFactory(crossing=crossing)
    TravellerReport.objects.filter(pk=report.pk).update(
        # An hour back, so that minute 7 is in the past whenever the test runs.
        observed_at=(timezone.now() - timedelta(hours=1)).replace(minute=7, second=31)
    )
    report_approve(report=report, actor=editor)
    observed = client.get("/api/v1/reports/").json()["results"][0]["observed_at"]
    assert observed.endswith(":05:00Z")  # in UTC, written as every public time is

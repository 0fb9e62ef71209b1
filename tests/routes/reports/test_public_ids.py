"""A report's public id is random: it says nothing of when the report came or how
many came before it. Staff keep the database id in the admin."""

import re

import pytest
from django.test import Client

from routes.reports.models import TravellerReport
from routes.reports.services import report_approve
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    ADMIN_QUEUE,
    no_static_manifest,
    payload,
    post_report,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_static_manifest")]

UUID4 = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)


def test_the_201_answer_and_the_public_list_carry_random_ids(crossing, editor):
    olga = Client(REMOTE_ADDR="198.51.100.31")
    sent = [post_report(olga, payload(wait_minutes=60 + n)).json() for n in range(3)]
    reports = list(TravellerReport.objects.order_by("pk"))

    for answer, report in zip(sent, reports, strict=True):
        assert isinstance(answer["id"], str) and UUID4.fullmatch(answer["id"])
        assert answer["id"] == str(report.public_id)
        assert str(report.pk) not in answer["id"].split("-")
    # Consecutive reports get unrelated ids: no order, no count.
    assert len({a["id"] for a in sent}) == 3

    for report in reports:
        report_approve(report=report, actor=editor)
    for url in ("/api/v1/reports/", "/api/v1/reports/crossings/upper-lars/"):
        body = Client().get(url).json()
        listed = body.get("results") or body["reports"]
        assert {r["id"] for r in listed} == {a["id"] for a in sent}
        assert not any(isinstance(r["id"], int) for r in listed)


def test_reports_in_one_five_minute_step_are_not_listed_in_arrival_order(
    crossing, editor
):
    # All land in the same 5-minute step; the list must not sort them by the
    # sequential key, which would tell which came first.
    for n in range(12):
        post_report(Client(REMOTE_ADDR=f"198.51.100.{40 + n}"), payload(wait_minutes=n))
    for report in TravellerReport.objects.all():
        report_approve(report=report, actor=editor)
    listed = Client().get("/api/v1/reports/").json()["results"]
    order = [r["wait_minutes"] for r in listed]
    by_id = sorted(listed, key=lambda r: r["id"], reverse=False)
    assert order == [r["wait_minutes"] for r in by_id]
    assert order not in (list(range(12)), list(reversed(range(12))))


def test_staff_still_reach_a_report_by_its_database_id(crossing, editor):
    post_report(Client(), payload())
    report = TravellerReport.objects.get()
    moderator = Client()
    moderator.force_login(editor)
    page = moderator.get(f"{ADMIN_QUEUE}{report.pk}/change/")
    assert page.status_code == 200
    # The public id is shown there, to match a public report with its row.
    assert str(report.public_id) in page.content.decode()

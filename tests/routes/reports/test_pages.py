"""What a traveller sees around reports: approved reports on the crossing's page
(as /privacy/ says), no duplicate when the form is sent again after going Back,
and the status's source in words a traveller understands."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from routes.reports.models import TravellerReport
from routes.reports.services import report_approve
from routes.services import crossing_update_record
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    ReportFactory,
    form_data,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_static_manifest")]


def test_approved_reports_are_on_the_crossing_page_and_pending_ones_are_not(
    crossing, editor
):
    approved = ReportFactory(
        crossing=crossing, wait_minutes=95, note="Slow on the Georgian side"
    )
    report_approve(report=approved, actor=editor)
    ReportFactory(crossing=crossing, wait_minutes=600, note="still pending here")
    old = ReportFactory(
        crossing=crossing,
        note="from three days ago",
        observed_at=timezone.now() - timedelta(days=3),
    )
    report_approve(report=old, actor=editor)

    page = Client().get("/crossings/upper-lars/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Recent traveller reports" in html
    assert "Slow on the Georgian side" in html
    assert "waited 1 h 35 min" in html
    assert "still pending here" not in html
    assert "from three days ago" not in html  # shown for 48 hours, as promised


def test_the_crossing_page_says_when_no_report_is_approved(crossing):
    html = Client().get("/crossings/upper-lars/").content.decode()
    assert "No approved reports in the last 48 hours." in html


def test_the_privacy_page_promises_what_the_crossing_page_shows(crossing, client):
    html = client.get("/privacy/").content.decode()
    assert "shown on the crossing&#x27;s page" in html or "crossing's page" in html


def test_going_back_and_sending_again_makes_no_second_report(crossing):
    browser = Client(REMOTE_ADDR="198.51.100.90")
    answers = form_data(wait_hours="2", wait_minutes="10", note="Slow today")
    first_page = browser.get("/report/upper-lars/").content.decode()
    sent = browser.post(
        "/report/upper-lars/", {**answers, "form_token": page_form_token(first_page)}
    )
    assert sent.status_code == 302
    # Back: the browser loads the form again (it is never cached), so it comes
    # with a fresh form token, and the browser refills the answers.
    again_page = browser.get("/report/upper-lars/").content.decode()
    again = browser.post(
        "/report/upper-lars/", {**answers, "form_token": page_form_token(again_page)}
    )
    assert again.status_code == 302
    assert again["Location"] == "/report/upper-lars/?sent=1"
    assert TravellerReport.objects.count() == 1

    # A different report from the same network is a new one.
    third_page = browser.get("/report/upper-lars/").content.decode()
    browser.post(
        "/report/upper-lars/",
        {**answers, "wait_hours": "3", "form_token": page_form_token(third_page)},
    )
    assert TravellerReport.objects.count() == 2


def test_an_api_client_that_sends_a_report_twice_gets_the_first_back(crossing):
    app = Client(REMOTE_ADDR="198.51.100.91")
    first = post_report(app, payload(wait_minutes=130))
    second = post_report(app, payload(wait_minutes=130))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert TravellerReport.objects.count() == 1
    # Someone else on another network saying the same is a report of its own.
    other = post_report(Client(REMOTE_ADDR="192.0.2.44"), payload(wait_minutes=130))
    assert other.status_code == 201
    assert TravellerReport.objects.count() == 2


def test_the_report_page_names_the_status_source_in_plain_words(crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="restricted",
        note="Only Georgian and Russian citizens today",
        observed_at=timezone.now() - timedelta(hours=2),
    )
    html = Client().get("/report/upper-lars/").content.decode()
    assert "(staff)" not in html
    assert "according to ExitWatch editors" in html

"""End to end, browser-free: a report from the page and one from the API reach the
moderation queue, and once approved, the crossing and its history."""

import pytest
from django.test import Client

from routes.models import CrossingUpdate
from routes.reports.models import TravellerReport
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    ADMIN_QUEUE,
    form_data,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_static_manifest"),
]


def test_reports_from_the_page_and_the_api_are_moderated_onto_the_crossing(
    crossing, editor
):
    # Olga reports from the crossing's page, CSRF checks on as in a browser.
    olga = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.10")
    page = olga.get("/report/upper-lars/")
    assert page.status_code == 200
    html = page.content.decode()
    csrf = page.cookies["csrftoken"].value
    sent = olga.post(
        "/report/upper-lars/",
        {
            **form_data(wait_hours="5", wait_minutes="30"),
            "form_token": page_form_token(html),
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert sent.status_code == 302
    assert sent["Location"] == "/report/upper-lars/?sent=1"
    assert "waiting for a moderator" in olga.get(sent["Location"]).content.decode()

    # Ivan's app uses the API.
    ivan = Client(REMOTE_ADDR="198.51.100.20")
    response = post_report(ivan, payload(wait_minutes=390))
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "pending"

    # Both wait in the queue; the map does not move yet.
    moderator = Client()
    moderator.force_login(editor)
    queue = moderator.get(ADMIN_QUEUE)
    assert queue.status_code == 200
    queued = {r.wait_minutes for r in queue.context["cl"].result_list}
    assert queued == {330, 390}
    crossing.refresh_from_db()
    assert crossing.wait_car is None

    ids = list(TravellerReport.objects.values_list("pk", flat=True))
    done = moderator.post(ADMIN_QUEUE, {"action": "approve", "_selected_action": ids})
    assert done.status_code == 302

    crossing.refresh_from_db()
    assert crossing.wait_car == 360  # the median of 330 and 390
    assert crossing.status == "open"
    assert crossing.last_source_kind == "traveller"
    assert crossing.wait_basis["car"]["count"] == 2
    history = CrossingUpdate.objects.filter(crossing=crossing)
    assert {u.source_kind for u in history} == {"traveller"}
    assert history.first().wait_car == 360
    assert history.first().actor == editor

    summary = Client().get("/api/v1/reports/crossings/upper-lars/").json()
    assert summary["waits"][0]["label"].startswith(
        "6 h (median of 2 traveller reports, last "
    )
    assert len(summary["reports"]) == 2
    # The queue is empty now, and the crossing's page shows the label too.
    assert list(moderator.get(ADMIN_QUEUE).context["cl"].result_list) == []
    assert (
        "median of 2 traveller reports"
        in Client().get("/report/upper-lars/").content.decode()
    )
    # And the map: the figure and what it rests on, at once.
    snapshot = Client().get("/api/v1/map/").json()
    (props,) = [
        f["properties"]
        for f in snapshot["crossings"]["features"]
        if f["id"] == "upper-lars"
    ]
    assert props["waits"]["car"] == 360
    assert props["last_source_kind"] == "traveller"
    assert props["wait_basis"]["car"]["count"] == 2
    assert props["wait_basis"]["car"]["source_kind"] == "traveller"

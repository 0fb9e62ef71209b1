"""The map page on the lean document: a popup fetches its crossing's details
when opened, and a copy of the document kept for days never looks current.

Data: one crossing with a report from ten minutes ago (its window is three
hours) and restrictions only its details carry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routes.services import crossing_update_record
from tests.browser.conftest import DESKTOP
from tests.factories import CrossingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESTRICTIONS = "Cars only; no pedestrians since 2022."
LEAN = "**/api/v1/map/lean/**"
DETAILS = "**/api/v1/map/crossings/**"


@pytest.fixture
def lars(db):
    crossing = CrossingFactory(
        slug="upper-lars",
        name_en="Upper Lars",
        restrictions_en=RESTRICTIONS,
        stale_after_minutes=180,
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        waits={"car": 90},
        source_url="https://border.example/notices",
        observed_at=timezone.now() - timedelta(minutes=10),
    )
    return crossing


def open_lars_popup(page):
    page.click('#crossing-list button[data-slug="upper-lars"]')
    return page.locator(".leaflet-popup-content .popup")


def test_a_popup_shows_the_lean_data_at_once_and_fetches_the_rest(visit, lars):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    # The first answer is held back: the popup opens on what the list has.
    held = []
    page.route(DETAILS, lambda route: held.append(route))
    popup = open_lars_popup(page)
    popup.wait_for()
    assert popup.get_attribute("data-details") == "loading"
    assert "Open" in popup.inner_text() and "1 h 30 min" in popup.inner_text()
    assert RESTRICTIONS not in popup.inner_text()
    while not held:  # the request reaches the handler as Playwright runs
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_selector(".popup[data-details=loaded]")
    assert RESTRICTIONS in popup.inner_text()
    assert visitor.errors == []


def test_details_that_cannot_load_point_to_the_text_only_page(visit, lars):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    page.route(DETAILS, lambda route: route.abort())
    popup = open_lars_popup(page)
    error = page.locator(".popup[data-details=failed] .details-error")
    error.wait_for()
    assert error.inner_text() == (
        "Details could not be loaded. The text-only page has them."
    )
    assert error.locator("a").get_attribute("href") == "/lite/#c-ge"
    # The next opening tries again.
    page.unroute(DETAILS)
    # Closed through Leaflet itself: a click on the close button can miss while
    # the map still pans the popup into view on a loaded machine.
    page.evaluate("window.exitwatchMap.map().closePopup()")
    popup.wait_for(state="detached")
    open_lars_popup(page)
    page.wait_for_selector(".popup[data-details=loaded]")
    assert RESTRICTIONS in page.inner_text(".leaflet-popup-content")


def _days_back(value, days):
    if not value:
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_copy_kept_for_days_shows_every_crossing_as_last_known(visit, lars):
    # The document as it was three days ago, when its figure was ten minutes
    # old, answered as the offline worker answers with its copy: no Date header
    # (the copy's would be three days old), and marked as a copy.
    visitor = visit(viewport=DESKTOP)
    fresh = visitor.open_map()
    assert "is-stale" not in fresh.get_attribute(
        '#crossing-list li[data-slug="upper-lars"]', "class"
    )
    lean = reverse("api:map-lean", args=["en"])
    doc = visitor.page.request.get(visitor.base + lean).json()
    for key in ("generated_at", "data_as_of"):
        doc[key] = _days_back(doc[key], 3)
    fields = doc["crossings"]["fields"]
    for row in doc["crossings"]["rows"]:
        for name in ("last_observed_at", "status_observed_at"):
            row[fields.index(name)] = _days_back(row[fields.index(name)], 3)
        for side in row[fields.index("sides")].values():
            side["observed_at"] = _days_back(side["observed_at"], 3)

    old = visit(viewport=DESKTOP)
    old.page.route(
        LEAN,
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            headers={"ETag": '"three-days-old"', "X-ExitWatch-Offline": "1"},
            body=json.dumps(doc),
        ),
    )
    page = old.open_map()
    item = page.locator('#crossing-list li[data-slug="upper-lars"]')
    assert "is-stale" in item.get_attribute("class")
    assert "last known: Open" in item.inner_text()
    assert "3 days ago" in item.inner_text()
    page.wait_for_selector(".crossing-marker.is-stale[aria-label^='Upper Lars']")
    assert "0 confirmed" in page.inner_text("#updated")
    # And it says the data is a stored copy, with its age.
    notice = page.locator("#offline")
    notice.wait_for(state="visible")
    assert "Showing the data from" in notice.inner_text()
    assert old.errors == []


def test_a_fast_device_clock_is_corrected_by_the_servers(visit, lars):
    # A phone an hour fast: the server's Date on the live answer sets it right,
    # so the ten-minute-old figure is current and nothing says "cannot reach".
    visitor = visit(viewport=DESKTOP)
    visitor.page.clock.set_system_time(datetime.now(UTC) + timedelta(hours=1))
    page = visitor.open_map()
    item = page.locator('#crossing-list li[data-slug="upper-lars"]')
    assert "is-stale" not in item.get_attribute("class")
    assert "10 minutes ago" in item.inner_text(), item.inner_text()
    assert page.locator("#offline").is_hidden()
    assert visitor.errors == []

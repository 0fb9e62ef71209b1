"""The map on a past date, in a real browser: the date control, the banner, the
address a journalist can share, and the way back to now.

Data: one crossing open on a day a week and a half ago, closed an hour ago (both
claims sourced), plus a cargo-only crossing hidden until asked for.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import CrossingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SOURCE = "https://border.example/notices"
WEEK = 7 * 24 * 60


@pytest.fixture
def history(db) -> str:
    """A crossing whose status changed since a past day; returns that day."""
    now = timezone.now()
    day = (now - timedelta(days=10)).date()
    lars = CrossingFactory(
        slug="upper-lars", name_en="Upper Lars", stale_after_minutes=WEEK
    )
    CrossingFactory(
        slug="cargo-post", name_en="Cargo Post", cargo_only=True, latitude=43.1
    )
    for status, side, observed in (
        ("open", None, now - timedelta(days=11)),
        ("closed", "neighbour", now - timedelta(hours=1)),
    ):
        crossing_update_record(
            crossing=lars,
            source_kind="official",
            status=status,
            side=side,
            source_url=SOURCE,
            note="Closed by the border police" if side else "",
            observed_at=observed,
        )
    return day.isoformat()


def lars_item(page):
    return page.locator('#crossing-list li[data-slug="upper-lars"]')


def test_the_date_control_shows_the_map_on_a_past_day_and_back(visit, history):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    assert "status-closed" in lars_item(page).get_attribute("class")
    # Cargo-only crossings are hidden until asked for.
    assert page.locator('#crossing-list li[data-slug="cargo-post"]').count() == 0

    page.fill("#when-date", history)
    page.click("#when button[type=submit]")
    page.wait_for_selector('#crossing-list li[data-slug="upper-lars"].status-open')
    banner = page.locator("#past-banner")
    banner.wait_for(state="visible")
    assert "Map as it stood on" in banner.inner_text()
    assert f"?at={history}" in page.url  # a link that shows the same map
    page.wait_for_selector(".crossing-marker.status-open[aria-label^='Upper Lars']")
    assert visitor.snapshot_urls[-1].endswith(f"?at={history}T23%3A59%3A00Z")
    visitor.screenshot("map-desktop-en-past-day")

    page.click("#when-now")
    page.wait_for_selector('#crossing-list li[data-slug="upper-lars"].status-closed')
    assert page.locator("#past-banner").is_hidden()
    assert "at=" not in page.url

    # Each side apart: the Russian side's open is old (grey), the neighbour's
    # closure is current, and the crossing takes the stricter.
    page.click('#crossing-list button[data-slug="upper-lars"]')
    # The notes and sources come with the crossing's details, fetched on opening.
    popup = page.locator(".leaflet-popup-content:has(.popup[data-details=loaded])")
    popup.wait_for()
    text = popup.inner_text()
    assert "Russian side" in text and "Neighbour's side (Georgia)" in text
    assert "Closed by the border police" in text
    assert "stricter of its two sides" in text
    assert popup.locator(".sides .badge-open.is-stale").count() == 1
    assert popup.locator(f'.sides a[href="{SOURCE}"]').count() == 2
    visitor.screenshot("map-desktop-en-popup-sides")
    assert visitor.csp_violations() == []
    assert visitor.errors == []


def test_a_shared_link_opens_the_past_map_on_a_phone(visit, history):
    visitor = visit(viewport=PHONE)
    page = visitor.open_map(f"/?at={history}")
    page.wait_for_selector("#past-banner:not([hidden])")
    assert "status-open" in lars_item(page).get_attribute("class")
    assert page.input_value("#when-date") == history
    visitor.screenshot("map-phone-en-past-day")
    # Folded on a phone, under the banner; touch-size controls once opened.
    assert page.locator("#when-date").is_hidden()
    assert page.locator("#when-box summary").bounding_box()["height"] >= 44
    page.click("#when-box summary")
    for selector in ("#when-date", "#when button[type=submit]", "#when-now"):
        assert page.locator(selector).bounding_box()["height"] >= 44, selector
    page.click("#past-banner a")
    page.wait_for_selector('#crossing-list li[data-slug="upper-lars"].status-closed')


def test_a_date_the_map_cannot_show_is_explained(visit, history):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map("/?at=not-a-date")
    banner = page.locator("#past-banner")
    banner.wait_for(state="visible")
    assert "ISO 8601" in banner.inner_text()


def test_cargo_only_crossings_show_when_asked_and_say_so(visit, history):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    page.check("#f-cargo")
    item = page.locator('#crossing-list li[data-slug="cargo-post"]')
    item.wait_for()
    assert "not for travellers" in item.inner_text()

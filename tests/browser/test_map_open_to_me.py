""" "Open to me" on the map, in a real browser: a traveller with only the internal
passport states it, and the map, its list and its popups say which crossings they
may use and why not, from the one open-to-me GET; the profile lands in the
address (a link shows the same), and stays in the browser only when asked.

Data: two crossings open on both sides for cars and buses, one into Georgia
(whose entry rule wants a foreign passport) and one into Kazakhstan (which takes
the internal passport). Every rule and claim has its (example) source.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from routes.entry.services import RuleTerms
from routes.waysout.world import world_forget
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.borders import open_border

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GEORGIA_RULE = "https://example.org/GE"  # open_border names the country
KEY = "exitwatch.profile"


@pytest.fixture
def two_ways(db) -> None:
    world_forget()  # the answers' shared facts are kept per process for a minute
    fresh = timezone.now() - timedelta(hours=1)
    for slug, name, country, latitude, longitude, internal_ok in (
        ("upper-lars", "Upper Lars", "GE", 42.74, 44.63, False),
        ("orsk-road", "Orsk Road", "KZ", 51.0, 58.5, True),
    ):
        open_border(
            terms=RuleTerms(
                visa="free", free_days=90, internal_passport_ok=internal_ok
            ),
            observed_at=fresh,
            slug=slug,
            name_en=name,
            country=country,
            latitude=latitude,
            longitude=longitude,
        )
    yield
    world_forget()


def item(page, slug: str):
    return page.locator(f'#crossing-list li[data-slug="{slug}"]')


def kept(page) -> str | None:
    return page.evaluate(f"localStorage.getItem('{KEY}')")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_an_internal_passport_holder_sees_which_crossings_are_open_to_them(
    visit, two_ways
):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    assert page.locator("#crossing-list .verdict").count() == 0
    assert page.locator("#p-clear").is_hidden()

    page.select_option("#p-document", "internal")
    lars, orsk = item(page, "upper-lars"), item(page, "orsk-road")
    lars.locator(".verdict-shut").wait_for()
    shut = lars.locator(".verdict").inner_text()
    assert shut.startswith("✕ Not for you:") and "foreign passport" in shut
    assert lars.locator(f'.verdict a[href="{GEORGIA_RULE}"]').count() == 1
    assert "Open to you" in orsk.locator(".verdict-open").inner_text()
    # Struck through on the map, not hidden; the open one is drawn as before.
    page.wait_for_selector(".crossing-marker.is-not-for-you[aria-label^='Upper Lars']")
    assert page.locator(".crossing-marker.is-not-for-you").count() == 1
    assert page.locator(".legend-notyou").is_visible()
    assert page.inner_text("#you-summary") == "(1 of 2 open to you)"
    # The profile is in the address, and was sent in the open-to-me GET only.
    assert query(page.url) == {
        "citizenship": ["RU"],
        "document": ["internal"],
        "visa": ["none"],
    }
    with_profile = [url for url in requests if "document=internal" in url]
    assert with_profile
    assert all("/api/v1/open-to-me/?" in url for url in with_profile)
    assert kept(page) is None  # the box is not ticked

    page.click('#crossing-list button[data-slug="upper-lars"]')
    popup = page.locator(".leaflet-popup-content .verdict-shut")
    popup.wait_for()
    assert "foreign passport" in popup.inner_text()
    visitor.screenshot("map-desktop-en-open-to-me")

    page.check("#p-only")
    lars.wait_for(state="detached")
    assert page.locator(".crossing-marker[aria-label^='Upper Lars']").count() == 0
    assert query(page.url)["open"] == ["1"]
    assert page.get_attribute("#p-compare", "href") == (
        "/ways-out/?citizenship=RU&document=internal&visa=none"
    )
    assert kept(page) is None

    page.check("#p-remember")
    assert json.loads(kept(page)) == {
        "from": "",
        "citizenship": "RU",
        "document": "internal",
        "visa": "none",
        "mode": "",
    }

    # The shared link shows the same map in a browser that keeps nothing.
    friend = visit(viewport=PHONE)
    shared = friend.open_map(page.url.removeprefix(visitor.base))
    item(shared, "orsk-road").locator(".verdict-open").wait_for()
    assert item(shared, "upper-lars").count() == 0
    assert shared.inner_text("#you-summary") == "(1 of 2 open to you)"
    assert kept(shared) is None
    friend.screenshot("map-phone-en-open-to-me")

    # Back to the bare address: this browser was asked to remember.
    visitor.open_map("/")
    item(page, "orsk-road").locator(".verdict-open").wait_for()
    assert query(page.url)["document"] == ["internal"]
    assert page.is_checked("#p-remember")

    # Clear drops the profile from the address, this browser and the map.
    page.click("#p-clear")
    item(page, "upper-lars").wait_for()
    assert page.locator("#crossing-list .verdict").count() == 0
    assert page.locator(".crossing-marker.is-not-for-you").count() == 0
    assert query(page.url) == {}
    assert kept(page) is None
    assert not any("document=" in url for url in visitor.snapshot_urls)
    for browser in (visitor, friend):
        assert browser.csp_violations() == []
        assert browser.errors == []

"""The pages in a real browser: Debian's chromium through Playwright.

Data: the real seed (57 crossings) plus a morning of fresh reports, flights and
advisories (tests/support/scenario.py). Tiles are blocked, as on a filtered
connection; every page runs under the site's strict Content-Security-Policy.
Screenshots land in test-output/screenshots/.
"""

from __future__ import annotations

import pytest

from routes.models import BorderCrossing, CrossingUpdate
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import StaffFactory
from tests.support.scenario import build_dashboard_scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN_PASSWORD = "correct horse battery staple"


@pytest.fixture
def scenario(db):
    """How many crossings the map shows at first: cargo-only ones wait for
    their toggle."""
    build_dashboard_scenario()
    return BorderCrossing.objects.filter(cargo_only=False).count()


def markers_on_map(page) -> int:
    """Crossings drawn: single markers plus the counts inside cluster icons."""
    return page.evaluate(
        """() => document.querySelectorAll('.crossing-marker').length +
        Array.from(document.querySelectorAll('.crossing-cluster .cl-n'))
          .reduce((sum, el) => sum + Number(el.dataset.count), 0)"""
    )


def list_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        "#crossing-list li", "items => items.map(li => li.dataset.slug)"
    )


def test_the_map_draws_one_marker_per_seeded_crossing(visit, scenario):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    assert markers_on_map(page) == scenario
    assert len(list_slugs(page)) == scenario
    # Fresh and old data side by side: old markers are faded.
    opacities = page.eval_on_selector_all(
        ".crossing-marker", "els => els.map(e => Number(e.style.opacity || 1))"
    )
    assert any(o < 1 for o in opacities) or page.locator(".crossing-cluster").count()
    # Tiles are blocked here: the notice says so, and everything else works.
    page.wait_for_selector("#tile-notice:not([hidden])")
    assert page.locator(".leaflet-overlay-pane path.route").count() == 14
    assert page.locator("#advisory-list li").count() == 4
    assert page.locator("#flight-list .soldout-tag").count() == 1
    assert "script-src 'self'" in visitor.policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in visitor.policy
    visitor.screenshot("map-desktop-en")
    # Source health, fetched when its panel opens.
    page.click("#sources summary")
    page.wait_for_selector("#source-list li.source-bad")
    assert page.locator("#source-list li").count() >= 4
    assert "HTTP 503 from the feed" in page.inner_text("#source-list li.source-bad")
    page.locator("#source-list").scroll_into_view_if_needed()
    visitor.screenshot("map-desktop-en-sources")
    assert visitor.csp_violations() == []
    assert visitor.errors == []


def test_a_status_change_in_the_admin_shows_on_the_map_after_a_refresh(visit, scenario):
    StaffFactory(username="olga", is_superuser=True)
    watcher = visit(viewport=DESKTOP)
    page = watcher.open_map()
    karaozek = BorderCrossing.objects.get(slug="karaozek")
    item = page.locator('#crossing-list li[data-slug="karaozek"]')
    assert "status-open" in item.get_attribute("class")

    # A refresh with nothing new costs a 304 and changes nothing.
    page.evaluate("exitwatchMap.refresh()")
    assert watcher.snapshot_statuses[-1] == 304

    staff = visit(viewport=DESKTOP)
    admin = staff.open("/admin/login/?next=/admin/")
    admin.fill("#id_username", "olga")
    admin.fill("#id_password", ADMIN_PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url("**/admin/")
    admin.goto(f"{staff.base}/admin/routes/bordercrossing/{karaozek.pk}/change/")
    admin.select_option("#id_status", "closed")
    admin.select_option("#id_update_side", "both")
    admin.fill("#id_update_note", "Closed by the border service at 14:00")
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")

    page.evaluate("exitwatchMap.refresh()")
    page.wait_for_selector('#crossing-list li[data-slug="karaozek"].status-closed')
    assert watcher.snapshot_statuses[-1] == 200
    # The marker now shows the closed symbol: the vermilion octagon with a cross.
    page.click('#crossing-list button[data-slug="karaozek"]')
    page.wait_for_selector(".leaflet-popup-content .badge-closed")
    marker = page.locator(".crossing-marker.status-closed[aria-label^='Karaozek']")
    assert marker.count() == 1
    assert marker.locator("use").get_attribute("href") == "#sym-closed"
    fill = page.eval_on_selector("#sym-closed path", "p => p.getAttribute('fill')")
    assert fill == "#c14f00"
    assert watcher.errors == []
    watcher.screenshot("map-desktop-after-admin-closed-karaozek")


def test_filters_search_and_sort(visit, scenario):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()

    page.select_option("#f-country", "KZ")
    slugs = list_slugs(page)
    expected = set(
        BorderCrossing.objects.filter(country="KZ", cargo_only=False).values_list(
            "slug", flat=True
        )
    )
    assert set(slugs) == expected
    assert markers_on_map(page) == len(expected)

    page.select_option("#f-country", "")
    page.select_option("#f-status", "closed")
    closed = set(
        BorderCrossing.objects.filter(status="closed", cargo_only=False).values_list(
            "slug", flat=True
        )
    )
    assert set(list_slugs(page)) == closed

    page.select_option("#f-status", "")
    page.fill("#f-q", "Ларс")  # Russian words find crossings on the English page
    page.wait_for_function(
        "() => document.querySelectorAll('#crossing-list li').length === 1"
    )
    assert list_slugs(page) == ["verkhny-lars"]

    page.fill("#f-q", "")
    page.select_option("#f-sort", "wait")
    page.wait_for_function(
        "n => document.querySelectorAll('#crossing-list li').length === n",
        arg=scenario,
    )
    # Shortest known wait first: 30 min on foot at Ivangorod, then 45 min by car.
    assert list_slugs(page)[:2] == ["ivangorod", "karaozek"]
    page.select_option("#f-mode", "car")
    assert list_slugs(page)[:3] == ["karaozek", "torfyanovka", "kyakhta"]
    # Narva-Ivangorod has been open to pedestrians only since February 2024.
    assert "ivangorod" not in list_slugs(page)
    assert visitor.errors == []


def test_keyboard_reaches_the_list_and_focuses_the_map(visit, scenario):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    page.focus("#f-q")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.slug"):
            break
    slug = page.evaluate("document.activeElement.dataset.slug")
    assert slug
    page.keyboard.press("Enter")
    page.wait_for_selector(f'.leaflet-popup-content a[href="/crossings/{slug}/"]')


def test_the_russian_page_speaks_russian(visit, scenario):
    visitor = visit(viewport=PHONE, lang="ru")
    page = visitor.open_map()
    assert page.locator("h2#h-crossings").inner_text().startswith("Пункты пропуска")
    assert page.locator("#sheet-toggle").inner_text() == "Показать список"
    lars = page.locator('#crossing-list li[data-slug="verkhny-lars"]').inner_text()
    assert "Верхний Ларс — Казбеги" in lars
    assert "Грузия" in lars and "Открыт" in lars
    assert "Легковые 6 ч" in lars
    assert "назад" in lars  # ages from the browser's Intl, in Russian
    assert "МСК" in page.locator("#updated").inner_text()
    assert visitor.errors == []
    assert visitor.csp_violations() == []
    visitor.screenshot("map-phone-ru")
    page.click("#sheet-toggle")
    page.wait_for_selector("#panel.is-raised")
    assert page.locator("#sheet-toggle").inner_text() == "Показать карту"
    visitor.screenshot("map-phone-ru-list-raised")


def test_the_map_keeps_its_data_when_the_server_cannot_be_reached(visit, scenario):
    visitor = visit(viewport=PHONE)
    page = visitor.open_map()
    page.route("**/api/v1/map/**", lambda route: route.abort())
    page.evaluate("exitwatchMap.refresh()")
    notice = page.locator("#offline")
    notice.wait_for(state="visible")
    assert "Cannot reach ExitWatch" in notice.inner_text()
    assert page.locator("#dashboard.is-offline").count() == 1
    assert len(list_slugs(page)) == scenario
    assert markers_on_map(page) == scenario
    visitor.screenshot("map-phone-en-offline")


def test_the_list_still_works_when_leaflet_cannot_load(visit, scenario):
    visitor = visit(viewport=PHONE)
    visitor.page.route("**/vendor/**/*.js", lambda route: route.abort())
    page = visitor.open_map()
    assert "could not be loaded" in page.inner_text("#map")
    assert len(list_slugs(page)) == scenario
    page.click("#filter-more summary")  # folded on a phone
    page.select_option("#f-status", "open")
    shown = BorderCrossing.objects.filter(status="open", cargo_only=False)
    assert len(list_slugs(page)) == shown.count()
    assert visitor.errors == []


def test_lite_works_without_javascript(visit, scenario):
    visitor = visit(viewport=PHONE, js=False)
    page = visitor.open("/lite/")
    assert page.locator("script").count() == 0
    # /lite/ lists every crossing, cargo-only ones labelled, each linking its
    # own text page.
    assert page.locator("li a[href^='/lite/crossings/']").count() == (
        BorderCrossing.objects.count()
    )
    text = page.inner_text("body")
    assert "Upper Lars (Verkhny Lars) — Kazbegi (Dariali)" in text
    assert "Government travel advice for Russia" in text
    assert "Moscow (SVO) → Istanbul (IST): from 45,000 RUB" in text
    visitor.screenshot("lite-phone-en-no-js")


def test_the_crossing_page_draws_its_chart(visit, scenario):
    visitor = visit(viewport=DESKTOP)
    page = visitor.open("/crossings/verkhny-lars/")
    chart = page.locator("svg#wait-chart")
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 120
    lines = page.locator("#wait-chart path.line")
    assert lines.count() >= 3  # car, bus, truck
    assert all(lines.nth(i).get_attribute("d").startswith("M") for i in range(3))
    # One dot per reported change: car 1440→900→420→360, bus 120→90, truck 3000.
    assert page.locator("#wait-chart .series-car .dot").count() == 4
    assert page.locator("#wait-chart .series-bus .dot").count() == 2
    # The scenario's four reports, the dated story and the official list's rows.
    history = CrossingUpdate.objects.filter(crossing__slug="verkhny-lars")
    assert page.locator("table.history tbody tr").count() == history.count() > 4
    assert visitor.csp_violations() == []
    visitor.screenshot("crossing-desktop-en", full_page=True)
    phone = visit(viewport=PHONE, lang="ru")
    phone.open("/crossings/verkhny-lars/")
    phone.screenshot("crossing-phone-ru")

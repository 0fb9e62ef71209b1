"""Offline, in a real browser: after one visit the map opens with the network
off, from the worker's last copy, saying how old the copy is and never calling
it current; a page that names a traveller's documents is never kept.

Data: Upper Lars open, confirmed an hour ago by its official source.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.browser.conftest import DESKTOP
from tests.factories import CrossingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every URL the worker keeps, across its caches.
KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url);
  }
  return urls;
}"""

# Waits until the worker controls the page and holds a copy of a URL that
# contains the given text (polled here: wait_for_function takes a returned
# promise for true).
KEPT = """async (part) => {
  const kept = async () => {
    if (!navigator.serviceWorker.controller) return false;
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      if (keys.some(r => r.url.includes(part))) return true;
    }
    return false;
  };
  for (let tries = 0; tries < 150; tries++) {
    if (await kept()) return true;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return false;
}"""

# Make the kept map document three hours older, Date header and stamp alike,
# as if it had been fetched then.
AGE_THE_COPY = """async () => {
  const earlier = new Date(Date.now() - 3 * 3600 * 1000);
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (!new URL(request.url).pathname.startsWith("/api/v1/map/")) continue;
      const response = await cache.match(request);
      const headers = new Headers(response.headers);
      headers.set("Date", earlier.toUTCString());
      headers.set("X-ExitWatch-Cached-At", earlier.toISOString());
      await cache.put(request, new Response(await response.blob(), { headers }));
    }
  }
}"""


@pytest.fixture
def lars(db) -> None:
    crossing_update_record(
        crossing=CrossingFactory(slug="upper-lars", name_en="Upper Lars"),
        source_kind="official",
        status="open",
        source_url="https://border.example/notices",
        observed_at=timezone.now() - timedelta(hours=1),
    )


def visit_once(visit, path: str = "/", **kwargs: object):
    """A visitor who has opened the map once, online, until the worker kept it."""
    visitor = visit(viewport=DESKTOP, worker=True, **kwargs)
    page = visitor.open_map(path)
    assert page.evaluate(KEPT, "/api/v1/map/"), "the worker kept no copy of the map"
    return visitor, page


def test_the_map_opens_offline_from_its_copy_with_its_age_never_as_current(visit, lars):
    visitor, page = visit_once(visit)
    assert page.locator(".offline-copy").count() == 0
    page.evaluate(AGE_THE_COPY)

    visitor.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#dashboard[data-loaded]")

    # The map draws the copy: the marker and the list item.
    page.wait_for_selector(".crossing-marker[aria-label^='Upper Lars']")
    assert page.evaluate("window.exitwatchMap.markerCount()") == 1
    item = page.locator('#crossing-list li[data-slug="upper-lars"]')
    assert "status-open" in item.get_attribute("class")
    # Its age counts from this device's clock, not the copy's Date header.
    assert "1 hour ago" in item.inner_text()

    notice = page.locator(".statusbar .offline-copy")
    notice.wait_for(state="visible")
    assert re.fullmatch(
        r"No connection to ExitWatch\. This is a copy from 3 hours ago "
        r"\(\w+ \d{1,2}, \d\d:\d\d MSK\); it is not current\.",
        notice.inner_text(),
    ), notice.inner_text()
    # Nothing calls the copy current: the "data as of ... checked" line is
    # hidden, and the markers lose their colour.
    assert page.locator("#updated").is_hidden()
    assert "is-copy" in page.locator("#dashboard").get_attribute("class")
    assert visitor.csp_violations() == []
    visitor.screenshot("map-desktop-en-offline-copy")

    # Back online, the next refresh is live and the notice goes.
    visitor.context.set_offline(False)
    page.evaluate("window.exitwatchMap.refresh()")
    notice.wait_for(state="hidden")
    assert page.locator("#updated").is_visible()
    assert "is-copy" not in page.locator("#dashboard").get_attribute("class")


def test_a_map_document_loaded_before_the_worker_ran_is_kept_too(visit, lars):
    # A past map is fetched by the script, named nowhere in the page's HTML.
    day = (timezone.now() - timedelta(days=1)).date().isoformat()
    visitor, page = visit_once(visit, f"/?at={day}")
    assert page.evaluate(KEPT, f"/api/v1/map/lean/en/?at={day}")

    visitor.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#dashboard[data-loaded]")
    assert page.locator("#past-banner").is_visible()
    assert page.locator(".statusbar .offline-copy").is_visible()


def test_the_text_only_page_opens_offline_marked_as_a_copy_in_russian(visit, lars):
    visitor, page = visit_once(visit, lang="ru")
    visitor.context.set_offline(True)
    page.goto(visitor.base + "/lite/")
    notice = page.locator(".offline-copy")
    # The age and the time in the page's language (the sentence around them
    # is the catalogue's).
    assert re.search(
        r"1 минуту назад \(\d{1,2} \w+\.?, \d\d:\d\d МСК\)", notice.inner_text()
    ), notice.inner_text()
    assert page.locator('a[href="/lite/crossings/upper-lars/"]').count() == 1


def test_a_page_naming_a_travellers_documents_is_never_kept(visit, lars):
    visitor, page = visit_once(visit)
    profile = "citizenship=RU&document=passport&visa=none"
    # The map with a profile in its address asks open-to-me (private) itself.
    page.goto(f"{visitor.base}/?{profile}")
    page.wait_for_selector("#you-summary:not(:empty)")
    page.goto(f"{visitor.base}/lite/?{profile}")
    answer = page.evaluate(
        f"fetch('/api/v1/open-to-me/?{profile}')"
        ".then(r => r.headers.get('Cache-Control'))"
    )
    assert "private" in answer
    kept = page.evaluate(KEPT_URLS)
    assert any(url.endswith("/lite/") for url in kept)
    assert not [url for url in kept if "citizenship" in url]

    visitor.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        page.goto(f"{visitor.base}/lite/?{profile}")


# Asks the browser to look for a new worker and waits until one named by
# `version` has taken over; returns the cache names then.
UPDATED = """async (version) => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  for (let tries = 0; tries < 150; tries++) {
    const names = await caches.keys();
    // The old worker stays active until the new one has installed.
    if (names.includes("exitwatch-shell-" + version) && !registration.installing
        && !registration.waiting && registration.active.state === "activated") {
      return caches.keys();
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return null;
}"""


def test_after_a_deploy_a_kept_page_still_opens_offline_with_its_files(
    visit, lars, monkeypatch
):
    from routes.mapdoc import views

    visitor, page = visit_once(visit)
    page.goto(visitor.base + "/crossings/upper-lars/")  # kept, with crossing.css
    assert page.evaluate(KEPT, "/static/css/crossing.css")
    # A deploy: a new worker, whose files go in a cache of a new name.
    script = views._service_worker_script()
    deployed = re.sub(rb'"version": "\w+"', b'"version": "deploy2"', script)
    monkeypatch.setattr(views, "_service_worker_script", lambda: deployed)
    names = page.evaluate(UPDATED, "deploy2")
    assert names is not None, "the new worker did not take over"
    # Every kept page was fetched again with its files: the old files could go.
    assert [n for n in names if n.startswith("exitwatch-shell-")] == [
        "exitwatch-shell-deploy2"
    ]

    visitor.context.set_offline(True)
    page.goto(visitor.base + "/crossings/upper-lars/")
    assert page.locator(".offline-copy").is_visible()
    style = page.evaluate(
        "async () => (await fetch('/static/css/crossing.css')).status"
    )
    assert style == 200

"""The map in Russian on a phone and a desktop: Russian notes and hours, selects
wide enough for their words, the legend clear of the crossings, the navigation
on one line."""

from __future__ import annotations

import pytest

from routes.models import BorderCrossing
from routes.services import crossing_update_record
from tests.browser.conftest import DESKTOP, PHONE
from tests.support.seeded import seed_copy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "verkhny-lars"

# Each option's text against the room its select gives it: Chromium draws the
# arrow in about 20 px beside the padding.
CLIPPED_OPTIONS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const clipped = [];
  for (const select of document.querySelectorAll('select')) {
    if (!select.offsetParent) continue;
    const style = getComputedStyle(select);
    ctx.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight) - 20;
    for (const option of select.options) {
      if (ctx.measureText(option.text).width > room) {
        clipped.push(select.id + ': ' + option.text);
      }
    }
  }
  return clipped;
}"""

COVERED_BY_LEGEND = """() => {
  const key = document.querySelector('.legend').getBoundingClientRect();
  return Array.from(document.querySelectorAll('.crossing-cluster, .crossing-marker'))
    .map(el => el.getBoundingClientRect())
    .filter(r => r.width && r.left < key.right && r.right > key.left
                 && r.top < key.bottom && r.bottom > key.top).length;
}"""


@pytest.fixture
def seeded(db):
    seed_copy()
    crossing = BorderCrossing.objects.get(slug=SLUG)
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="restricted",
        side="neighbour",
        note="Only residents let through",
        note_ru="Пропускают только местных жителей",
    )
    BorderCrossing.objects.filter(slug=SLUG).update(hours="24 h")
    from exitwatch.lib.snapshot import snapshot_bump

    snapshot_bump()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_russian_map_fits_its_words_and_keeps_the_crossings_in_view(
    visit, seeded, viewport
):
    visitor = visit(viewport=viewport, lang="ru")
    page = visitor.open_map()
    if viewport is PHONE:
        page.click("#filter-more summary")
    tops = page.eval_on_selector_all(
        ".site-nav a",
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))",
    )
    found = {
        "options cut off": page.evaluate(CLIPPED_OPTIONS),
        "crossings under the legend": page.evaluate(COVERED_BY_LEGEND),
        "navigation lines": len(set(tops)),
    }
    assert found == {
        "options cut off": [],
        "crossings under the legend": 0,
        "navigation lines": 1,
    }
    name = "phone" if viewport is PHONE else "desktop"
    visitor.screenshot(f"map-{name}-ru-fit")
    assert visitor.errors == []


def test_the_russian_popup_gives_the_russian_note_and_hours(visit, seeded):
    visitor = visit(viewport=DESKTOP, lang="ru")
    page = visitor.open_map()
    page.click(f'#crossing-list button[data-slug="{SLUG}"]')
    # The note and hours come with the crossing's details, fetched on opening.
    popup = page.wait_for_selector(
        ".leaflet-popup-content:has(.popup[data-details=loaded])"
    )
    text = popup.inner_text()
    assert "Пропускают только местных жителей" in text
    assert "Часы работы: круглосуточно" in text
    assert "Only residents" not in text and "24 h" not in text
    assert visitor.errors == []

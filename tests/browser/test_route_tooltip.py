"""An exit route's name reaches the map as text, never as markup."""

from __future__ import annotations

import pytest

from exitwatch.lib.snapshot import snapshot_bump
from routes.models import ExitRoute
from tests.browser.conftest import DESKTOP
from tests.support.seeded import seed_copy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKUP_NAME = '<b class="injected">Bold</b> road<img src=x class="injected">'


def test_a_route_name_with_markup_shows_as_plain_text_in_its_tooltip(visit):
    seed_copy()
    route = ExitRoute.objects.order_by("slug").first()
    ExitRoute.objects.filter(pk=route.pk).update(name_en=MARKUP_NAME)
    snapshot_bump()
    visitor = visit(viewport=DESKTOP)
    page = visitor.open_map()
    # Hovering the line opens its tooltip: the event Leaflet listens for on the
    # path, at a point on the line.
    page.evaluate(
        """(name) => {
          const map = exitwatchMap.map();
          map.eachLayer(layer => {
            if (layer.feature && layer.feature.properties.name === name) {
              const at = layer.getLatLngs()[0];
              const point = map.latLngToContainerPoint(at);
              const box = map.getContainer().getBoundingClientRect();
              layer.fire('mouseover', {
                latlng: at, containerPoint: point,
                originalEvent: new MouseEvent('mouseover', {
                  clientX: box.left + point.x, clientY: box.top + point.y})
              });
            }
          });
        }""",
        MARKUP_NAME,
    )
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip.inner_text() == MARKUP_NAME
    assert page.locator(".leaflet-tooltip .injected").count() == 0
    assert visitor.errors == []

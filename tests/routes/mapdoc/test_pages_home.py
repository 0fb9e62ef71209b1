"""The map page's HTML, its configuration and its JavaScript translations."""

import json
import re

import pytest
from django.urls import reverse

from routes.waysout.profile import PROFILE_CHOICES
from tests.support.pages import csp_problems

pytestmark = pytest.mark.django_db


def test_the_map_page_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 200


def test_the_map_page_passes_its_settings_as_data_attributes(client, settings):
    response = client.get("/")
    html = response.content.decode()
    assert f'data-snapshot-url="{reverse("api:map-lean", args=["en"])}"' in html
    assert 'data-crossing-url="/api/v1/map/crossings/-/"' in html
    assert 'data-tiles-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    # The attribution is HTML for Leaflet, escaped once inside the attribute.
    assert "&lt;a href=&quot;https://www.openstreetmap.org/copyright" in html
    bounds = response.context["map"]["bounds"]
    (south, west), (north, east) = json.loads(bounds)
    assert (south, west, north, east) == (40.5, 19.0, 70.5, 135.5)


def test_the_map_page_loads_vendored_leaflet_and_no_cdn(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in html
    assert "/static/js/map.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


@pytest.mark.parametrize(
    "path", ["/", "/lite/", "/flights/", "/advisories/", "/crossings/upper-lars/"]
)
def test_no_page_has_inline_script_handlers_or_style(client, crossing, path):
    response = client.get(path)
    assert response.status_code == 200
    assert csp_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    "path", ["/", "/lite/", "/flights/", "/advisories/", "/crossings/upper-lars/"]
)
def test_no_template_syntax_leaks_into_a_page(client, crossing, path):
    html = client.get(path).content.decode()
    assert not any(mark in html for mark in ("{#", "#}", "{%", "{{")), path


def test_the_page_follows_the_browser_language(client):
    html = client.get("/", headers={"accept-language": "ru"}).content.decode()
    assert '<html lang="ru">' in html
    assert "Пункты пропуска" in html
    assert "/jsi18n/ru/?v=" in html


def test_the_russian_javascript_catalog_holds_russian_words(client):
    response = client.get("/jsi18n/ru/")
    assert response.status_code == 200
    body = response.content.decode()
    # The catalog is JSON inside the script: non-ASCII letters are \u-escaped.
    assert json.dumps("Нет связи с ExitWatch")[1:-1] in body
    assert response["Content-Language"] == "ru"
    assert "max-age=31536000" in response["Cache-Control"]


def test_the_english_catalog_is_served_whatever_the_browser_says(client):
    response = client.get("/jsi18n/en/", headers={"accept-language": "ru"})
    assert response.status_code == 200
    assert json.dumps("Нет связи")[1:-1] not in response.content.decode()


def test_an_unknown_catalog_language_is_not_found(client):
    assert client.get("/jsi18n/xx/").status_code == 404


def test_every_page_links_the_text_only_version(client, crossing):
    for path in ("/", "/flights/", "/advisories/", "/crossings/upper-lars/"):
        assert 'href="/lite/"' in client.get(path).content.decode(), path


def test_the_map_page_has_a_date_control_and_a_cargo_toggle(client):
    html = client.get("/").content.decode()
    assert '<input id="when-date" type="date"' in html
    assert 'id="when-now"' in html and 'id="past-banner"' in html
    assert '<input id="f-cargo" type="checkbox"' in html
    assert '<option value="best">Open and confirmed first</option>' in html


def test_a_past_map_is_not_preloaded_as_the_current_one(
    client, django_assert_num_queries
):
    assert 'rel="preload"' in client.get("/").content.decode()
    with django_assert_num_queries(0):
        html = client.get("/?at=2022-09-25").content.decode()
    assert 'rel="preload"' not in html  # map.js fetches the past document


def _select(html: str, select_id: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each option of one select."""
    block = re.search(rf'<select id="{select_id}".*?</select>', html, re.S)
    assert block, select_id
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', block.group(0)
        )
    ]


def test_the_map_page_asks_for_a_travellers_profile_with_the_profile_choices(
    client, django_assert_num_queries
):
    # The profile is read by the script (from the address, or this browser if
    # asked): a profile in the query costs no query and changes no option.
    with django_assert_num_queries(0):
        html = client.get("/?document=internal&visa=none").content.decode()
    assert f'data-open-to-me-url="{reverse("api:open-to-me")}"' in html
    defaults = {"citizenship": "RU", "document": "passport", "visa": "none"}
    for name, choices in PROFILE_CHOICES.items():
        options = _select(html, f"p-{name}")
        expected = [("", "any way")] if name == "mode" else []
        expected += [(value, str(label)) for value, label in choices]
        assert [(value, label) for value, _sel, label in options] == expected
        chosen = [value for value, selected, _label in options if selected]
        assert chosen == ([defaults[name]] if name in defaults else [])
    assert '<input id="p-remember" type="checkbox">' in html
    assert '<input id="p-only" type="checkbox" name="open" value="1">' in html
    assert '<a id="p-compare" href="/ways-out/">' in html


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_map_page_preloads_the_lean_document_in_its_language(client, lang):
    html = client.get("/", headers={"accept-language": lang}).content.decode()
    lean = reverse("api:map-lean", args=[lang])
    assert f'<link rel="preload" href="{lean}" as="fetch" crossorigin>' in html
    assert f'data-snapshot-url="{lean}"' in html

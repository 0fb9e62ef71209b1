"""/lite/ on a past date, its counts of confirmed and last known crossings, and
the order it lists them in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.mapdoc.lite import lite_page
from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/border-service"


def record(crossing, status, *, days_ago=0.0, minutes_ago=0, side=None):
    return crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status=status,
        side=side,
        source_url=SOURCE,
        observed_at=timezone.now() - timedelta(days=days_ago, minutes=minutes_ago),
    )


def test_a_past_date_shows_the_crossings_as_they_stood_then(client, crossing):
    record(crossing, "open", days_ago=20)
    record(crossing, "closed", minutes_ago=30)
    day = (timezone.now() - timedelta(days=10)).date().isoformat()

    now_html = client.get("/lite/").content.decode()
    past = client.get(f"/lite/?at={day}")
    html = past.content.decode()

    assert past.status_code == 200
    assert "Closed" in now_html and "as they stood" not in now_html
    assert "Crossings as they stood on" in html
    assert "last known: Open" in html  # old by then: never shown as current
    assert "last known: Closed" not in html
    assert f'value="{day}"' in html  # the form keeps the chosen date
    assert f'href="/?at={day}"' in html  # the map link keeps it too
    assert "Back to now" in html


def test_today_s_date_is_the_map_now(client, crossing):
    record(crossing, "open", minutes_ago=10)
    today = timezone.now().date().isoformat()
    response = client.get(f"/lite/?at={today}")
    assert response.status_code == 200
    assert "as they stood" not in response.content.decode()


@pytest.mark.parametrize("value", ["garbage", "2022-13-45", "2999-01-01", "1990-01-01"])
def test_a_bad_date_is_a_clear_400_page_not_an_error(client, crossing, value):
    response = client.get(f"/lite/?at={value}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This date cannot be shown" in html
    assert 'href="/lite/"' in html  # a way back to now
    assert "<script" not in html
    assert '<p class="reach">' in html  # when it was made, where else to look


def test_a_bad_date_is_explained_in_russian(client, crossing):
    html = client.get("/lite/?at=garbage&lang=ru").content.decode()
    assert '<html lang="ru">' in html
    assert 'name="lang" value="ru"' in html


def test_its_date_form_needs_no_script_and_sets_no_cookie(client, crossing):
    response = client.get("/lite/")
    html = response.content.decode()
    assert '<form class="when" method="get" action="/lite/">' in html
    assert 'type="date" name="at"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_counts_keep_confirmed_last_known_and_cargo_apart(client):
    fresh = CrossingFactory(slug="fresh", name_en="Fresh")
    old = CrossingFactory(slug="old", name_en="Old")
    cargo = CrossingFactory(slug="cargo", name_en="Cargo", cargo_only=True)
    record(fresh, "open", minutes_ago=5)
    record(old, "open", days_ago=3)
    record(cargo, "open", minutes_ago=5)

    html = client.get("/lite/").content.decode()

    assert "Confirmed within their freshness window: 1 open, 0 restricted" in html
    assert "1 more crossing is only last known" in html
    assert "1 cargo-only crossing (not for travellers) is not counted." in html
    assert "cargo only: not for travellers" in html
    assert "(1 of 2 confirmed open)" in html


def test_data_as_of_is_the_newest_confirmed_figure_not_the_build_time(client, crossing):
    record(crossing, "open", days_ago=2)
    page = client.get("/lite/").context["page"]
    observed = crossing.updates.get().observed_at
    assert page.data_as_of == observed.replace(microsecond=0)
    assert "the newest confirmed figure" in client.get("/lite/").content.decode()


def feature(slug, status, *, stale=False, cargo_only=False):
    return {
        "properties": {
            "slug": slug, "name_en": slug.title(), "neighbour_name_en": "X",
            "country": "GE", "country_name_en": "Georgia", "status": status,
            "stale": stale, "cargo_only": cargo_only, "waits": {},
            "last_observed_at": "2026-01-01T00:00:00Z",
        }
    }  # fmt: skip


def test_open_and_confirmed_crossings_come_first():
    features = [
        feature("zeta-cargo", "open", cargo_only=True),
        feature("alpha-stale-open", "open", stale=True),
        feature("beta-closed", "closed"),
        feature("gamma-unknown", "unknown"),
        feature("delta-restricted", "restricted"),
        feature("epsilon-open", "open"),
        feature("eta-stale-restricted", "restricted", stale=True),
    ]
    document = {"crossings": {"features": features}, "advisories": [], "flights": []}
    (country,) = lite_page(document=document, lang="en").countries
    assert [c.slug for c in country.crossings] == [
        "epsilon-open",
        "delta-restricted",
        "gamma-unknown",
        "beta-closed",
        "alpha-stale-open",
        "eta-stale-restricted",
        "zeta-cargo",
    ]

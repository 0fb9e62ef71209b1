"""A crossing's page: each side's own claim, the official facts, the labels for
cargo-only and de facto crossings, and each history row's side."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db

RU_SOURCE = "https://rosgranstroy.example/checkpoint/42"
GE_SOURCE = "https://police.example.ge/dariali"


def claim(crossing, side, status, *, days_ago=0.0, source_url="", note="", **kw):
    return crossing_update_record(
        crossing=crossing,
        source_kind=kw.pop("source_kind", "official"),
        status=status,
        side=side,
        source_url=source_url,
        note=note,
        observed_at=timezone.now() - timedelta(days=days_ago),
        **kw,
    )


@pytest.fixture
def two_sided(crossing):
    claim(crossing, "ru", "open", days_ago=2, source_url=RU_SOURCE)
    claim(
        crossing,
        "neighbour",
        "closed",
        days_ago=0.01,
        source_url=GE_SOURCE,
        note="Closed for repairs",
        source_kind="partner",
    )
    return crossing


def test_each_side_is_shown_apart_with_its_source_age_and_note(client, two_sided):
    response = client.get("/crossings/upper-lars/")
    html = response.content.decode()
    ru, neighbour = response.context["sides"]
    assert (ru["status"], neighbour["status"]) == ("open", "closed")
    assert "Russian side" in html and "Neighbour&#x27;s side (Georgia)" in html
    assert f'href="{RU_SOURCE}"' in html and f'href="{GE_SOURCE}"' in html
    assert "2\xa0days ago" in html
    assert "“Closed for repairs”" in html
    assert "the stricter of the two" in html
    # The crossing itself: closed, the stricter of open and closed.
    assert response.context["crossing"].status == "closed"


def test_a_side_older_than_its_window_is_not_shown_in_current_colours(
    client, two_sided
):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert 'class="badge badge-open is-stale"' in html  # the Russian side, 2 days old
    assert 'class="badge badge-closed"' in html  # the neighbour's, fresh


def test_history_rows_say_which_side_they_are_about(client, two_sided):
    crossing_update_record(
        crossing=two_sided, source_kind="traveller", waits={"car": 30}
    )
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "<td>Russian side</td>" in html
    assert "<td>Neighbour&#x27;s side</td>" in html
    assert "no status claim" in html  # the wait report


def test_the_chart_band_shows_the_crossing_s_status_and_names_the_side(
    client, two_sided
):
    chart = client.get("/crossings/upper-lars/").context["chart"]
    statuses = [b.status for b in chart.bands if b.status != "stale"]
    # Open on the Russian side alone leaves the crossing unknown (the other side
    # had no claim yet); then the neighbour closed it.
    assert statuses[-1] == "closed"
    assert "Neighbour's side: Closed" in chart.bands[-1].title


def test_a_cargo_only_crossing_says_it_is_not_for_travellers(client, db):
    CrossingFactory(slug="cargo", cargo_only=True, official_id=117)
    html = client.get("/crossings/cargo/").content.decode()
    assert "Not for travellers: cargo only." in html
    assert "Nobody on foot or by car: cargo only" in html
    assert "117" in html


def test_a_bilateral_crossing_says_who_may_cross(client, db):
    CrossingFactory(slug="bilateral", bilateral=True, country="KZ")
    html = client.get("/crossings/bilateral/").content.decode()
    assert "Only citizens of Russia and Kazakhstan may cross" in html
    assert "Not on the official list of checkpoints." in html


def test_official_hours_and_where_the_point_comes_from(client, db):
    CrossingFactory(
        slug="hours",
        hours="08:00–20:00",
        hours_text_ru="ежедневно с 8:00 до 20:00",
        coord_source="Moved to the barrier seen on survey imagery",
        coord_override=True,
        official_latitude=42.1,
        official_longitude=44.2,
    )
    html = client.get("/crossings/hours/").content.decode()
    assert '<span lang="ru">ежедневно с 8:00 до 20:00</span> (08:00–20:00)' in html
    assert "Not the official point." in html
    assert "The official list gives 42.1000, 44.2000." in html
    assert "Where this point comes from: Moved to the barrier" in html


def test_a_de_facto_border_is_labelled_with_its_restrictions(client, db):
    CrossingFactory(
        slug="psou",
        de_facto="abkhazia",
        restrictions_en="Georgia regards entry here as illegal.",
    )
    html = client.get("/crossings/psou/").content.decode()
    assert "De facto border</strong> (Abkhazia)" in html
    assert "Georgia regards entry here as illegal." in html


def test_the_sides_are_in_russian_on_the_russian_page(client, two_sided):
    html = client.get(
        "/crossings/upper-lars/", headers={"accept-language": "ru"}
    ).content.decode()
    assert '<html lang="ru">' in html
    assert "Грузия" in html

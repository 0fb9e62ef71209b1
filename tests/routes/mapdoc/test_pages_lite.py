"""/lite/: the text-only page, rendered from the cached map snapshot."""

import gzip
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import AdvisoryFactory, FlightReportFactory
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        source_url="https://example.org/border-service",
        waits={"car": 380},
        queue_length=1200,
        observed_at=timezone.now() - timedelta(minutes=25),
    )
    return crossing


def test_it_lists_each_crossing_with_status_wait_and_age(client, reported):
    html = client.get("/lite/").content.decode()
    assert "Georgia" in html
    assert "Upper Lars — Other side" in html
    assert "Open" in html
    assert "Car 6 h 20 min (staff)" in html  # the figure and what it rests on
    assert "queue 1,200 vehicles" in html
    assert "25\xa0minutes ago" in html
    assert "source: staff" in html


def test_it_has_no_script_no_post_form_and_sets_no_cookie(client, reported):
    response = client.get("/lite/")
    html = response.content.decode()
    assert "<script" not in html
    assert 'method="post"' not in html  # the date form is a GET form
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=15"
    assert "Accept-Language" in response["Vary"]


def test_the_language_can_be_chosen_in_the_url(client, reported):
    html = client.get("/lite/?lang=ru").content.decode()
    assert '<html lang="ru">' in html
    assert "Грузия" in html
    assert "Верхний Ларс — Другая сторона" in html
    assert "Легковые 6 ч 20 мин (сотрудники)" in html
    assert 'href="/lite/?lang=en"' in html
    # The chosen language follows the reader to a crossing's text page.
    assert 'href="/lite/crossings/upper-lars/?lang=ru"' in html


def test_each_crossing_links_its_own_text_page(client, reported):
    html = client.get("/lite/").content.decode()
    assert 'href="/lite/crossings/upper-lars/"' in html


def test_it_shows_advisories_and_the_flight_summary(client, reported):
    AdvisoryFactory(level=4, level_text="Do Not Travel")
    FlightReportFactory(price=45000, currency="RUB", availability="available")
    html = client.get("/lite/").content.decode()
    assert "4/4" in html and "US Department of State" in html
    assert "Moscow (SVO) → Istanbul (IST): from 45,000 RUB" in html


def test_a_warm_lite_page_runs_no_sql(client, reported, django_assert_num_queries):
    client.get("/lite/")
    with django_assert_num_queries(0):
        assert client.get("/lite/").status_code == 200


def test_with_every_seeded_crossing_it_stays_under_14_kb_compressed(client):
    seed_copy()
    for lang in ("en", "ru"):
        html = client.get(f"/lite/?lang={lang}").content
        assert html.count(b"<li>") >= 57
        assert len(gzip.compress(html, compresslevel=6)) < 14 * 1024, lang


def test_a_wait_names_its_basis_when_the_snapshot_gives_it():
    # The read side may add `wait_basis` per mode: the page then says
    # what a figure rests on.
    from datetime import UTC, datetime

    from routes.mapdoc.lite import lite_page

    last = datetime.now(UTC) - timedelta(minutes=40)
    feature = {
        "properties": {
            "slug": "upper-lars", "name_en": "Upper Lars", "name_ru": "",
            "neighbour_name_en": "Dariali", "neighbour_name_ru": "",
            "country": "GE", "country_name_en": "Georgia", "country_name_ru": "",
            "modes": ["car", "bus"], "status": "open",
            "waits": {"car": 360, "bus": 90, "truck": None, "pedestrian": None},
            "wait_basis": {
                "car": {
                    "source_kind": "traveller", "count": 4,
                    "last_observed_at": last.isoformat(),
                },
            },
            "queue_length": None, "last_observed_at": last.isoformat(),
            "last_source_kind": "traveller", "stale": False,
        }
    }  # fmt: skip
    document = {"crossings": {"features": [feature]}, "advisories": [], "flights": []}
    (country,) = lite_page(document=document, lang="en").countries
    car, bus = country.crossings[0].waits
    assert car.text == "6 h (median of 4 traveller reports, last 40 min ago)"
    assert bus.text == "1 h 30 min"  # no basis given: the same figure, alone

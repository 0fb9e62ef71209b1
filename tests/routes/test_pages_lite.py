"""/lite/: the text-only page, rendered from the cached map snapshot."""

import gzip
from datetime import timedelta

import pytest
from django.utils import timezone

from routes.seeding import seed_load
from routes.services import crossing_update_record
from tests.factories import AdvisoryFactory, FlightReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
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
    assert "Car 6 h 20 min" in html
    assert "queue 1,200 vehicles" in html
    assert "25\xa0minutes ago" in html
    assert "source: staff" in html


def test_it_has_no_script_no_form_and_sets_no_cookie(client, reported):
    response = client.get("/lite/")
    html = response.content.decode()
    assert "<script" not in html
    assert "<form" not in html
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=15"
    assert "Accept-Language" in response["Vary"]


def test_the_language_can_be_chosen_in_the_url(client, reported):
    html = client.get("/lite/?lang=ru").content.decode()
    assert '<html lang="ru">' in html
    assert "Грузия" in html
    assert "Верхний Ларс — Другая сторона" in html
    assert "Легковые 6 ч 20 мин" in html
    assert 'href="?lang=en"' in html


def test_it_shows_advisories_and_the_flight_summary(client, reported):
    AdvisoryFactory(level=4, level_text="Do Not Travel")
    FlightReportFactory(price=45000, currency="RUB", availability="available")
    html = client.get("/lite/").content.decode()
    assert "4/4" in html and "US State Department" in html
    assert "Moscow (SVO) → Istanbul (IST): from 45,000 RUB" in html


def test_a_warm_lite_page_runs_no_sql(client, reported, django_assert_num_queries):
    client.get("/lite/")
    with django_assert_num_queries(0):
        assert client.get("/lite/").status_code == 200


def test_with_every_seeded_crossing_it_stays_under_14_kb_compressed(client):
    seed_load()
    for lang in ("en", "ru"):
        html = client.get(f"/lite/?lang={lang}").content
        assert html.count(b"<li>") >= 57
        assert len(gzip.compress(html, compresslevel=6)) < 14 * 1024, lang

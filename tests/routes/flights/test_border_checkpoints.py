"""Each Russian airport's border checkpoint, from the official list, on the
flights page and in the API."""

import pytest

from routes.flights.services import BorderPost, airports_border_checkpoints_record
from tests.factories import AirportFactory, FlightReportFactory

pytestmark = pytest.mark.django_db

SHEREMETYEVO = BorderPost(196, "Москва (Шереметьево)", 55.966, 37.416, True)
PULKOVO_CLOSED = BorderPost(287, "Санкт-Петербург (Пулково)", 59.80, 30.27, False)


@pytest.fixture
def airports(db):
    AirportFactory()
    AirportFactory(
        iata="LED", name_en="Pulkovo", name_ru="Пулково",
        city_en="Saint Petersburg", city_ru="Санкт-Петербург",
        latitude=59.8003, longitude=30.2625,
    )  # fmt: skip
    AirportFactory(iata="KZN", city_en="Kazan", city_ru="Казань", latitude=55.6)


def test_a_second_record_of_the_same_list_changes_nothing(airports):
    posts = [SHEREMETYEVO, PULKOVO_CLOSED]
    assert airports_border_checkpoints_record(posts=posts) == 2
    assert airports_border_checkpoints_record(posts=posts) == 0
    # A list that no longer names Pulkovo's checkpoint: back to unknown.
    assert airports_border_checkpoints_record(posts=[SHEREMETYEVO]) == 1


def test_the_flights_page_says_whether_the_origins_checkpoint_works(client, airports):
    airports_border_checkpoints_record(posts=[SHEREMETYEVO, PULKOVO_CLOSED])
    FlightReportFactory(flight_number="SU100")
    FlightReportFactory(origin__iata="LED", flight_number="SU200")
    FlightReportFactory(origin__iata="KZN", flight_number="SU300")

    html = client.get("/flights/").content.decode()

    assert "border checkpoint: working" in html
    assert "<strong>border checkpoint: not working</strong>" in html
    assert "border checkpoint: unknown" in html


def test_the_api_gives_the_checkpoint_and_whether_it_works(api, airports):
    airports_border_checkpoints_record(posts=[SHEREMETYEVO])
    svo = api.get("/api/v1/airports/SVO/").json()
    kzn = api.get("/api/v1/airports/KZN/").json()
    assert (svo["border_checkpoint_id"], svo["border_checkpoint_working"]) == (
        196,
        True,
    )
    assert (kzn["border_checkpoint_id"], kzn["border_checkpoint_working"]) == (
        None,
        None,
    )

"""/flights/: flight reports with the API's filters."""

import pytest
from django.utils import timezone

from tests.factories import AirportFactory, FlightReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flights(db):
    led = AirportFactory(
        iata="LED", icao="ULLI", name_en="Pulkovo", name_ru="Пулково",
        city_en="Saint Petersburg", city_ru="Санкт-Петербург",
    )  # fmt: skip
    cheap = FlightReportFactory(price=30000, flight_number="TK414")
    dear = FlightReportFactory(origin=led, price=90000, flight_number="TK402")
    gone = FlightReportFactory(
        availability="sold_out", seats=0, price=None, currency="", flight_number="PC1"
    )
    return cheap, dear, gone


def numbers(response):
    return [r.flight_number for r in response.context["result"].page.object_list]


def test_it_lists_reports_with_sold_out_marked(client, flights):
    response = client.get("/flights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moscow (SVO) → Istanbul (IST)" in html
    assert '<strong class="soldout">Sold out</strong>' in html
    assert "30,000 RUB" in html


def test_it_filters_like_the_api(client, flights):
    assert numbers(client.get("/flights/?origin=LED")) == ["TK402"]
    assert numbers(client.get("/flights/?has_seats=true&ordering=price")) == [
        "TK414",
        "TK402",
    ]
    assert numbers(client.get("/flights/?max_price=50000")) == ["TK414"]
    today = timezone.localdate().isoformat()
    assert len(numbers(client.get(f"/flights/?departure_after={today}"))) == 3


def test_it_sorts_by_price_with_unpriced_reports_last(client, flights):
    assert numbers(client.get("/flights/?ordering=price")) == ["TK414", "TK402", "PC1"]


def test_bad_filters_are_a_400_naming_the_field(client, flights):
    response = client.get("/flights/?max_price=-5&departure_after=soon&origin=XXX")
    assert response.status_code == 400
    errors = response.context["result"].form.errors
    assert set(errors) == {"max_price", "departure_after", "origin"}
    assert "errorlist" in response.content.decode()


def test_an_unknown_sort_order_is_a_400(client, flights):
    assert client.get("/flights/?ordering=airline").status_code == 400


def test_labels_and_airports_are_in_the_reader_s_language(client, flights):
    html = client.get("/flights/", headers={"accept-language": "ru"}).content.decode()
    assert "Откуда" in html
    assert "Санкт-Петербург (LED)" in html
    assert "Мест нет" in html


def test_the_query_count_does_not_grow_with_the_rows(
    client, flights, django_assert_max_num_queries
):
    for i in range(30):
        FlightReportFactory(price=1000 + i)
    with django_assert_max_num_queries(4):
        assert client.get("/flights/").status_code == 200

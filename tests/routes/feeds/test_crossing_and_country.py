"""One crossing's feed (its status and its waits) and one neighbour country's
feed (its crossings' status changes)."""

import pytest

from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(crossing, record):
    record(crossing, 100, status="open")
    record(crossing, 90, waits={"car": 45, "bus": 120})
    record(crossing, 80, waits={"car": 45})  # the same figure again
    record(crossing, 70, waits={"car": 380})
    return crossing


def test_a_crossing_feed_has_its_wait_changes_too(fetch, queue):
    _response, feed = fetch("/feeds/crossings/upper-lars.atom")
    assert feed.feed.title == "ExitWatch: Upper Lars — Other side"
    assert feed.feed.link == "http://testserver/crossings/upper-lars/"
    assert [e.title for e in feed.entries] == [
        "Upper Lars — Other side: Car 6 h 20 min (was 45 min)",
        "Upper Lars — Other side: Car 45 min (was —), Bus 2 h (was —)",
        "Upper Lars — Other side: Unknown → Open",
    ]
    assert (
        "<strong>Wait</strong>: Car 6 h 20 min (was 45 min); Bus 2 h"
        in feed.entries[0].summary
    )


def test_a_crossing_feed_is_in_russian_when_asked(fetch, queue):
    _response, feed = fetch("/feeds/crossings/upper-lars.atom?lang=ru")
    assert feed.feed.title == "ExitWatch: Верхний Ларс — Другая сторона"
    assert feed.entries[0].title.startswith(
        "Верхний Ларс — Другая сторона: Легковые 6 ч 20 мин"
    )
    assert feed.entries[-1].title.endswith("Неизвестно → Открыт")


def test_a_crossing_feed_leaves_other_crossings_out(fetch, queue, record):
    record(CrossingFactory(slug="kazbegi"), 5, status="closed")
    _response, feed = fetch("/feeds/crossings/upper-lars.atom")
    assert all("/crossings/upper-lars/" in e.link for e in feed.entries)


def test_an_unknown_crossing_has_no_feed(client, queue):
    response = client.get("/feeds/crossings/nowhere.atom")
    assert response.status_code == 404
    assert "ETag" not in response


def test_the_crossing_page_links_its_feed(client, queue):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="ExitWatch: Upper Lars — Other side" '
        'href="/feeds/crossings/upper-lars.atom">'
    ) in html


def test_a_country_feed_has_its_crossings_only(fetch, crossing, record):
    record(crossing, 50, status="open")
    record(CrossingFactory(name_en="Kazbegi", country="GE"), 40, status="closed")
    record(CrossingFactory(name_en="Vaalimaa", country="FI"), 30, status="closed")
    _response, feed = fetch("/feeds/countries/ge.atom")
    assert feed.feed.title == "ExitWatch: crossings into Georgia"
    assert feed.feed.link == "http://testserver/lite/#c-ge"
    assert [e.title.split(":")[0] for e in feed.entries] == [
        "Kazbegi — Other side",
        "Upper Lars — Other side",
    ]
    _response, upper = fetch("/feeds/countries/GE.atom")
    assert len(upper.entries) == 2


def test_a_country_feed_is_in_russian_when_asked(fetch, crossing, record):
    record(crossing, 50, status="restricted")
    _response, feed = fetch("/feeds/countries/ge.atom?lang=ru")
    assert "Грузия" in feed.feed.title  # the country's name in Russian
    assert feed.entries[0].title == (
        "Верхний Ларс — Другая сторона: Неизвестно → С ограничениями"
    )


@pytest.mark.parametrize("code", ["fr", "zz"])
def test_a_country_with_no_crossing_has_no_feed(client, crossing, code):
    assert client.get(f"/feeds/countries/{code}.atom").status_code == 404


def test_a_country_code_is_two_letters(client, crossing):
    assert client.get("/feeds/countries/geo.atom").status_code == 404

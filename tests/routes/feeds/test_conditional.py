"""A feed reader asking again gets a 304 for the price of one query, until
something new is recorded."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/feeds/changes.atom"


@pytest.fixture
def opened(crossing, record):
    record(crossing, 30, status="open")
    return crossing


def test_a_feed_carries_validators_and_short_public_caching(client, opened):
    response = client.get(URL)
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_reader_with_the_current_etag_gets_a_304_for_one_query(
    client, opened, django_assert_num_queries
):
    etag = client.get(URL)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_reader_with_the_current_date_gets_a_304(client, opened):
    last_modified = client.get(URL)["Last-Modified"]
    response = client.get(URL, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_a_new_change_makes_the_feed_new_again(client, opened, record):
    first = client.get(URL)
    record(opened, 5, status="closed")
    response = client.get(
        URL,
        headers={
            "If-None-Match": first["ETag"],
            "If-Modified-Since": first["Last-Modified"],
        },
    )
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert b"Open \xe2\x86\x92 Closed" in response.content


def test_each_language_and_feed_has_its_own_etag(client, opened):
    etags = {
        client.get(url)["ETag"]
        for url in [URL, URL + "?lang=ru", "/feeds/crossings/upper-lars.atom"]
    }
    assert len(etags) == 3
    english = client.get(URL)["ETag"]
    response = client.get(URL + "?lang=ru", headers={"If-None-Match": english})
    assert response.status_code == 200


def test_the_advisory_feed_answers_304_too(client, db):
    etag = client.get("/feeds/advisories.atom")["ETag"]
    response = client.get("/feeds/advisories.atom", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_a_feed_answers_only_safe_methods(client, opened):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200

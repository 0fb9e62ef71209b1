"""GET /api/v1/map/?at=: the map as it stood at a moment, cached per minute."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import CrossingFactory, ExitRouteFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/"
SOURCE = "https://example.org/statement"


def record(crossing, side, status, when):
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        side=side,
        status=status,
        source_url=SOURCE,
        observed_at=when,
    )


def document(client, at):
    response = client.get(URL, {"at": at})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def statuses(doc):
    return {f["id"]: f["properties"]["status"] for f in doc["crossings"]["features"]}


@pytest.fixture
def finland(db):
    crossing = CrossingFactory(slug="vaalimaa", country="FI")
    start = datetime(2022, 9, 1, tzinfo=UTC)
    record(crossing, "ru", "open", start)
    record(crossing, "neighbour", "open", start)
    record(crossing, "neighbour", "restricted", datetime(2022, 9, 30, tzinfo=UTC))
    record(crossing, "neighbour", "closed", datetime(2023, 11, 30, tzinfo=UTC))
    return crossing


def test_the_map_on_a_date_has_the_same_shape_and_that_dates_statuses(client, finland):
    ExitRouteFactory(crossing=finland)
    now = json.loads(client.get(URL).content)
    then = document(client, "2022-09-25T12:00:00Z")
    assert set(then) == set(now)
    assert then["at"] == "2022-09-25T12:00:00Z"
    assert statuses(then) == {"vaalimaa": "open"}
    assert statuses(document(client, "2023-01-01")) == {"vaalimaa": "restricted"}
    assert statuses(now) == {"vaalimaa": "closed"}
    feature = then["crossings"]["features"][0]["properties"]
    assert set(feature) == set(now["crossings"]["features"][0]["properties"])
    assert feature["sides"]["neighbour"]["source_url"] == SOURCE
    assert then["routes"]["features"][0]["properties"]["status"] == "open"


def test_a_past_moment_is_served_from_the_cache_without_a_query(
    client, finland, django_assert_num_queries
):
    first = client.get(URL, {"at": "2022-09-25T12:00:00Z"})
    with django_assert_num_queries(0):
        second = client.get(URL, {"at": "2022-09-25T12:00:30Z"})  # the same minute
    assert second.content == first.content
    assert "max-age=86400" in second["Cache-Control"]


def test_a_later_observation_does_not_change_the_past(
    client, finland, django_capture_on_commit_callbacks
):
    before = document(client, "2022-09-25T12:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        record(finland, "ru", "closed", timezone.now() - timedelta(minutes=1))
    after = document(client, "2022-09-25T12:00:00Z")
    assert after["version"] != before["version"]
    assert after["crossings"] == before["crossings"]


def test_a_correction_about_the_past_reaches_the_past_map(
    client, finland, django_capture_on_commit_callbacks
):
    assert statuses(document(client, "2022-09-25T12:00:00Z")) == {"vaalimaa": "open"}
    # Older than the Russian side's current claim: nothing current moves, but
    # the history does, and past maps are read from it.
    with django_capture_on_commit_callbacks(execute=True):
        record(finland, "ru", "closed", datetime(2022, 9, 20, tzinfo=UTC))
    assert statuses(document(client, "2022-09-25T12:00:00Z")) == {"vaalimaa": "closed"}


@pytest.mark.parametrize(
    "value", ["yesterday", "2022-13-01", "", "2999-01-01T00:00:00Z", "1990-01-01"]
)
def test_a_bad_moment_is_a_clear_400(client, finland, value):
    response = client.get(URL, {"at": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    messages = response.json()["at"]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_a_moment_with_an_offset_survives_an_unencoded_plus(client, finland):
    response = client.get(URL + "?at=2023-01-01T12:00:00+03:00")
    assert response.status_code == 200
    assert response.json()["at"] == "2023-01-01T09:00:00Z"

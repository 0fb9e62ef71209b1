"""GET /api/v1/crossings/{slug}/history/: newest first, time range, state at T."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/crossings/upper-lars/history/"
MOBILISATION = datetime(2022, 9, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def september(crossing):
    """Hourly reports from the announcement on: open, then restricted after 12."""
    for hour in range(24):
        crossing_update_record(
            crossing=crossing,
            source_kind="traveller",
            status="open" if hour < 12 else "restricted",
            waits={"car": hour * 60},
            observed_at=MOBILISATION + timedelta(hours=hour),
        )
    return crossing


def observed(response):
    assert response.status_code == 200, response.content
    return [row["observed_at"] for row in response.json()["results"]]


def test_history_is_newest_first(api, september):
    times = observed(api.get(URL, {"page_size": 3}))
    assert times == [
        "2022-09-22T08:00:00Z",
        "2022-09-22T07:00:00Z",
        "2022-09-22T06:00:00Z",
    ]


def test_walking_every_page_gives_every_update_once(api, september):
    seen, url = [], URL + "?page_size=5"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 24


def test_a_time_range_selects_observations_within_it(api, september):
    times = observed(
        api.get(
            URL,
            {
                "observed_after": "2022-09-21T10:00:00Z",
                "observed_before": "2022-09-21T13:00:00+01:00",
            },
        )
    )
    assert times == ["2022-09-21T11:00:00Z", "2022-09-21T10:00:00Z"]


@pytest.mark.parametrize(
    ("at", "status", "car"),
    [
        ("2022-09-21T21:30:00Z", "restricted", 720),
        ("2022-09-21T14:00:00+03:00", "open", 120),  # 11:00 UTC
        ("2022-09-21T09:00:00Z", "open", 0),
    ],
)
def test_at_answers_the_state_at_that_moment(api, september, at, status, car):
    body = api.get(URL, {"at": at}).json()
    [state] = body["results"]
    assert (state["status"], state["waits"]["car"]) == (status, car)
    assert body["next"] is None


def test_at_before_anything_was_known_is_empty(api, september):
    assert api.get(URL, {"at": "2022-01-01T00:00:00Z"}).json()["results"] == []


def test_at_runs_two_queries_whatever_the_history(api, september):
    with CaptureQueriesContext(connection) as ctx:
        api.get(URL, {"at": "2022-09-21T20:30:00Z"})
    assert len(ctx) == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("at=yesterday", "at"),
        ("at=2022-09-25T08:00:00", "at"),  # no time zone: which 08:00?
        ("at=2022-13-45T08:00:00Z", "at"),
        ("observed_after=2022-09-25", "observed_after"),
        ("status=fine", "status"),
        ("source_kind=rumour", "source_kind"),
        ("side=left", "side"),
        ("ordering=status", "ordering"),
    ],
)
def test_bad_parameters_are_400(api, september, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_an_unknown_crossing_has_no_history(api, db):
    assert api.get("/api/v1/crossings/nowhere/history/").status_code == 404


def test_history_exports_as_csv(api, september):
    response = api.get(URL, {"format": "csv", "page_size": 2})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["waits_car"] for r in rows] == ["1380", "1320"]
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize("rows", [2, 20])
def test_history_runs_two_queries_whatever_the_page(api, crossing, rows):
    for _ in range(rows):
        crossing_update_record(
            crossing=crossing, source_kind="staff", status="open", note="Moving"
        )
    with CaptureQueriesContext(connection) as ctx:
        assert len(api.get(URL).json()["results"]) == rows
    assert len(ctx) == 2


def test_history_rows_say_which_side_they_are_about(api, crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="closed",
        side="ru",
        facts={"hours_text_ru": "круглосуточно", "cargo_only": False},
        source_url="https://rosgranstroy.ru/checkpoint/upper-lars",
        observed_at=MOBILISATION,
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        note="Georgia lets cars through",
        side="neighbour",
        observed_at=MOBILISATION + timedelta(hours=1),
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="traveller",
        waits={"car": 90},
        observed_at=MOBILISATION + timedelta(hours=2),
    )
    rows = api.get(URL).json()["results"]
    assert [(r["side"], r["status"]) for r in rows] == [
        ("", "closed"),
        ("neighbour", "open"),
        ("ru", "closed"),
    ]
    assert rows[2]["facts"] == {"hours_text_ru": "круглосуточно", "cargo_only": False}
    assert rows[0]["facts"] is None
    ru = api.get(URL, {"side": "ru"}).json()["results"]
    assert [r["observed_at"] for r in ru] == ["2022-09-21T09:00:00Z"]
    [latest] = api.get(URL, {"side": "neighbour", "at": "2022-09-21T12:00:00Z"}).json()[
        "results"
    ]
    assert latest["note"] == "Georgia lets cars through"

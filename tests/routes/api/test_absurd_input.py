"""What a hostile client sends: deep JSON, an oversized body, impossible time
zones, absurd but well-typed values. Each is a JSON 4xx naming the problem, and
nothing is written."""

import json

import pytest
from django.test import Client

from routes.models import CrossingUpdate
from routes.reports.models import TravellerReport
from routes.validation import MAX_QUEUE_LENGTH

pytestmark = pytest.mark.django_db
UPDATES = "/api/v1/crossings/upper-lars/updates/"
DEEP = "[" * 1000 + "]" * 1000  # 2 KB


@pytest.fixture
def web(crossing):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", [UPDATES, "/api/v1/reports/"])
def test_deeply_nested_json_is_a_400_on_every_json_write(editor_api, crossing, url):
    editor_api.raise_request_exception = False
    response = editor_api.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert "nested" in response.json()["detail"]
    assert not CrossingUpdate.objects.exists()
    assert not TravellerReport.objects.exists()


def test_json_nested_within_reason_is_read_as_usual(editor_api, crossing):
    response = editor_api.post(
        UPDATES, {"waits": {"car": 30}, "note": "ok"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("url", [UPDATES, "/api/v1/reports/"])
def test_a_body_over_the_limit_is_a_json_413_saying_the_limit(
    editor_api, crossing, settings, url
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    editor_api.raise_request_exception = False
    body = json.dumps({"note": "x" * 2048})
    response = editor_api.post(url, body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["limit_bytes"] == 1024
    assert "1024 bytes" in response.json()["detail"]


@pytest.mark.parametrize("offset", ["-17:51", "+16:00", "+23:59", "-16:00"])
def test_a_time_zone_offset_no_zone_has_is_a_400_naming_the_parameter(web, offset):
    response = web.get(
        "/api/v1/crossings/upper-lars/history/",
        {"observed_after": f"1037-10-26T19:59:57{offset}"},
    )
    assert response.status_code == 400, response.content[:200]
    assert "offset" in response.json()["observed_after"][0]


@pytest.mark.parametrize("offset", ["+14:00", "-12:00", "+15:59", "-15:59"])
def test_the_widest_real_offsets_are_read(web, offset):
    response = web.get(
        "/api/v1/crossings/upper-lars/history/",
        {"observed_after": f"2022-09-25T08:00:00{offset}"},
    )
    assert response.status_code == 200, response.content[:200]


def test_an_observation_time_with_an_impossible_offset_is_a_400(editor_api, crossing):
    response = editor_api.post(
        UPDATES,
        {"waits": {"car": 30}, "observed_at": "2022-09-25T08:00:00-17:51"},
        format="json",
    )
    assert response.status_code == 400
    assert "offset" in response.json()["observed_at"][0]


def test_a_queue_of_two_billion_vehicles_is_refused(editor_api, crossing):
    response = editor_api.post(UPDATES, {"queue_length": 2_147_483_647}, format="json")
    assert response.status_code == 400
    assert str(MAX_QUEUE_LENGTH) in response.json()["queue_length"][0]
    assert not CrossingUpdate.objects.exists()
    ok = editor_api.post(UPDATES, {"queue_length": 4200}, format="json")
    assert ok.status_code == 201


def test_an_observation_in_year_one_is_refused(editor_api, crossing):
    response = editor_api.post(
        UPDATES,
        {"queue_length": 3, "observed_at": "0001-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "2000" in response.json()["observed_at"][0]
    assert not CrossingUpdate.objects.exists()

"""Anonymous clients read, throttled; nobody writes without a token; no HTML API."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/crossings/"),
        ("put", "/api/v1/crossings/upper-lars/"),
        ("patch", "/api/v1/crossings/upper-lars/"),
        ("delete", "/api/v1/crossings/upper-lars/"),
        ("post", "/api/v1/routes/"),
        ("post", "/api/v1/airports/"),
        ("delete", "/api/v1/advisories/1/"),
        ("post", "/api/v1/flights/summary/"),
        ("post", "/api/v1/crossings/upper-lars/history/"),
    ],
)
def test_anonymous_clients_may_only_read(api, crossing, method, url):
    response = getattr(api, method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_an_editor_cannot_change_read_only_resources_either(editor_api, crossing):
    response = editor_api.delete("/api/v1/crossings/upper-lars/")
    assert response.status_code == 405


def test_browsers_get_json_not_the_browsable_api(api, crossing):
    response = api.get(
        "/api/v1/crossings/",
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response["Content-Type"] == "application/json"
    assert api.get("/api/v1/crossings/?format=api").status_code == 400


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )


def test_anonymous_clients_are_throttled_whatever_they_claim(
    api, crossing, three_a_minute
):
    for n in range(3):
        spoof = {"x-forwarded-for": f"10.0.0.{n}"}
        assert api.get("/api/v1/crossings/", headers=spoof).status_code == 200
    throttled = api.get("/api/v1/crossings/", headers={"x-forwarded-for": "10.9.9.9"})
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()


def test_the_map_snapshot_is_not_throttled(api, crossing, three_a_minute):
    for _ in range(5):
        assert api.get("/api/v1/map/").status_code == 200


def test_token_holders_have_their_own_higher_allowance(
    api, editor_api, crossing, three_a_minute
):
    for _ in range(3):
        api.get("/api/v1/crossings/")
    assert api.get("/api/v1/crossings/").status_code == 429
    assert editor_api.get("/api/v1/crossings/").status_code == 200


def test_the_benchmark_baseline_is_not_routed_in_production(api, crossing):
    assert api.get("/api/v1/bench/plain-crossings/").status_code == 404


def test_the_benchmark_urlconf_serves_the_baseline(api, crossing, settings):
    settings.ROOT_URLCONF = "bench.urls"
    response = api.get("/api/v1/bench/plain-crossings/")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()] == ["upper-lars"]

"""Under /api/ every error is JSON, whichever layer answers it (DEBUG off, as in
production); `?format=` wins over Accept; the schema and the root say it all."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from exitwatch.lib.api.errors import ApiJsonErrorsMiddleware
from routes.api import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(crossing):
    # Server errors answered, not raised into the test, as a real server does.
    return Client(raise_request_exception=False)


def is_json_error(response, status):
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    return response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint/",
        "/api/v1/crossings/no such slug/history/",  # the route's pattern refuses it
        "/api/v1/crossings/no-such-crossing/",
        "/api/v1/reports/crossings/no-such-crossing/",
        "/api/",
    ],
)
def test_a_404_under_the_api_is_json(web, path):
    is_json_error(web.get(path), 404)


def test_a_404_on_a_page_stays_a_page(web):
    response = web.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/map/"),  # a plain Django view
        ("post", "/api/v1/schema/"),  # answers errors in YAML by itself
        ("post", "/api/v1/docs/"),  # an HTML page
        ("delete", "/api/v1/sources/"),
    ],
)
def test_a_405_under_the_api_is_json_and_says_what_is_allowed(web, method, path):
    response = getattr(web, method)(path)
    is_json_error(response, 405)
    assert "GET" in response["Allow"]


def test_a_500_under_the_api_is_json(web, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.CrossingViewSet, "list", broken)
    body = is_json_error(web.get("/api/v1/crossings/"), 500)
    assert "bug" not in json.dumps(body)


@pytest.mark.parametrize("status", [404, 405, 413, 429, 500, 503])
def test_any_error_page_under_the_api_becomes_json_keeping_its_headers(status):
    page = HttpResponse("<h1>Oops</h1>", status=status, content_type="text/html")
    page["Retry-After"] = "30"
    page["Allow"] = "GET, HEAD"
    request = RequestFactory().get("/api/v1/anything/")
    response = ApiJsonErrorsMiddleware(lambda request: page)(request)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"]
    assert (response["Retry-After"], response["Allow"]) == ("30", "GET, HEAD")


def test_a_throttled_answer_is_json(web, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1/minute"}
    )
    web.get("/api/v1/crossings/")
    response = web.get("/api/v1/crossings/no-such-crossing/history/")
    is_json_error(response, 429)
    assert int(response["Retry-After"]) > 0


# --- ?format= and Accept ---------------------------------------------------------


@pytest.mark.parametrize(
    ("format", "content_type"),
    [("csv", "text/csv"), ("geojson", "application/geo+json")],
)
def test_the_format_parameter_wins_over_an_accept_header(
    api, crossing, format, content_type
):
    response = api.get(
        f"/api/v1/crossings/?format={format}", headers={"accept": "application/json"}
    )
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith(content_type)


def test_an_unknown_format_is_still_a_400_naming_the_formats(api, crossing):
    response = api.get(
        "/api/v1/crossings/?format=xml", headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert "csv" in response.json()["format"][0]


# --- the schema and the root -------------------------------------------------------

# Not throttled by design: the map is a cached document for crisis traffic, and
# a reporter needs a form token before their own limits apply.
UNTHROTTLED = {
    ("get", "/api/v1/map/"),
    ("get", "/api/v1/map/lean/{lang}/"),
    ("get", "/api/v1/map/crossings/{slug}/"),
    ("get", "/api/v1/reports/form-token/"),
}


def test_the_schema_documents_429_on_every_operation_that_can_answer_it(api):
    spec = api.get("/api/v1/schema/", {"format": "json"}).json()
    missing = [
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
        and (method, path) not in UNTHROTTLED
        and "429" not in operation["responses"]
    ]
    assert missing == []
    reports = spec["paths"]["/api/v1/reports/"]["get"]["responses"]["429"]
    assert reports["content"]["application/json"]["schema"]["properties"]["detail"]


def test_the_api_root_lists_every_endpoint(api, crossing):
    root = api.get("/api/v1/").json()
    paths = {url.removeprefix("http://testserver") for url in root.values()}
    assert {
        "/api/v1/crossings/",
        "/api/v1/crossings/{slug}/",
        "/api/v1/crossings/{slug}/history/",
        "/api/v1/crossings/{slug}/updates/",
        "/api/v1/routes/",
        "/api/v1/airports/",
        "/api/v1/flights/",
        "/api/v1/flights/summary/",
        "/api/v1/advisories/",
        "/api/v1/map/",
        "/api/v1/sources/",
        "/api/v1/reports/",
        "/api/v1/reports/form-token/",
        "/api/v1/reports/crossings/{slug}/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    } <= paths
    assert root["crossings"] == "http://testserver/api/v1/crossings/"


def test_every_path_in_the_schema_is_in_the_root(api, crossing):
    spec = api.get("/api/v1/schema/", {"format": "json"}).json()
    root = {
        url.removeprefix("http://testserver")
        for url in api.get("/api/v1/").json().values()
    }
    # The schema names a detail's parameter as its view does; the root as its URL.
    listed = {path.replace("{id}", "{pk}") for path in spec["paths"]}
    assert {p.replace("{id}", "{pk}") for p in listed} - root == set()

"""The OpenAPI schema is valid, and every operation in it answers as it says."""

import gzip
import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts import targets
from alerts.events import events_from_update
from alerts.models import Subscription
from alerts.signing import secret_new
from routes.flights.models import FlightSourceGrant
from routes.models import CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import (
    AdvisoryFactory,
    AirportFactory,
    CrossingFactory,
    ExitRouteFactory,
    FlightReportFactory,
    PlaceFactory,
    UserFactory,
)
from tests.routes.reports.reporting import payload as report_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_the_docs_page_loads_its_assets_from_this_server(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
    assert "//unpkg" not in page and "jsdelivr" not in page
    # No inline script (a strict CSP holds): the init script is a file of its own.
    assert re.findall(r"<script>", page) == []
    script = api.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


@pytest.fixture
def world(crossing):
    """One of everything, so that every operation has something to answer."""
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        source_url="https://t.me/exitwatch_border/101",
    )
    CrossingFactory(slug="never-reported")  # blank source, null times
    ExitRouteFactory(slug="moscow-upper-lars-tbilisi", crossing=crossing)
    flight = FlightReportFactory()
    advisory = AdvisoryFactory()
    AirportFactory(iata="EVN", country="AM")
    PlaceFactory(airports=["SVO"])
    return {
        "slug": "upper-lars",
        "iata": "SVO",
        "id": {"flights": flight.pk, "advisories": advisory.pk},
    }


@pytest.fixture
def writer(db):
    """A partner account allowed every write."""
    user = UserFactory(username="partner")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "update_status",
                "add_flightreport",
                "change_flightreport",
                "add_subscription",
            ]
        )
    )
    FlightSourceGrant.objects.create(account=user, source="partner")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def own_subscription() -> Subscription:
    """A webhook subscription of the writer's account (made directly: no DNS)."""
    return Subscription.objects.create(
        owner=UserFactory(username="partner"),
        target_url="https://hooks.partner.example/exitwatch",
        secret=secret_new(),
    )


@pytest.fixture
def subscription(world, writer, monkeypatch):
    """The writer's subscription, with a delivery in its log; the partner's
    webhook host resolves to a public address (no DNS in tests)."""
    monkeypatch.setattr(
        targets,
        "getaddrinfo",
        lambda host, port, *a, **k: [(2, 1, 6, "", ("93.184.215.14", port))],
    )
    made = own_subscription()
    events_from_update(update_id=CrossingUpdate.objects.latest("pk").pk)
    world["public_id"] = str(made.public_id)
    return made


BODIES = {
    "/api/v1/subscriptions/": {
        "target_url": "https://hooks.partner.example/exitwatch",
        "kinds": ["status_change"],
    },
    "/api/v1/access-rules/": {
        "crossing": "upper-lars",
        "side": "ru",
        "valid_from": "2026-01-01T00:00:00Z",
        "modes": ["car", "bus"],
        "who": "anyone",
        "source_url": "https://rosgranstroy.ru/api/map_data",
    },
    "/api/v1/crossings/{slug}/updates/": {
        "status": "closed",
        "side": "neighbour",
        "waits": {"car": 60},
        "source_url": "https://t.me/exitwatch_border/101",
    },
    "/api/v1/flights/": {
        "reports": [
            {
                "origin": "SVO",
                "destination": "EVN",
                "departure_date": "2026-12-01",
                "price": "30000.00",
                "currency": "RUB",
                "availability": "available",
                "observed_at": "2026-11-20T10:00:00Z",
                "source": "partner",
                "source_ref": "SU1860-2026-12-01",
            }
        ]
    },
}
# What an operation cannot answer without.
REQUIRED_QUERIES = {"/api/v1/ways-out/": {"from": "murmansk"}}
# Representative bad input per operation, to check the documented 400s too.
BAD_QUERIES = {"get": {"format": "xml"}}


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def concrete(path, world):
    collection = path.split("/")[3]
    slug = world["slug"] if "crossings" in path else "moscow-upper-lars-tbilisi"
    return (
        path.replace("{slug}", slug)
        .replace("{iata}", world["iata"])
        .replace("{id}", str(world["id"].get(collection, "")))
        .replace("{public_id}", world.get("public_id", ""))
        .replace("{lang}", "ru")
    )


def formats(operation):
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "format":
            return parameter["schema"]["enum"]
    return [None]


def check(openapi, response, method, url, body=None):
    split = urlsplit(url)
    request = MockRequest(
        "http://testserver",
        method,
        split.path,
        args=dict(response.wsgi_request.GET.items()),
        headers=dict(response.wsgi_request.headers),
        data=json.dumps(body).encode() if body is not None else None,
    )
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    content_type = response.get("Content-Type", "").split(";")[0]
    if content_type.startswith("text/"):
        content = content.decode("utf-8-sig")
    openapi.validate_response(
        request,
        MockResponse(
            content, response.status_code, dict(response.items()), content_type
        ),
    )


# An account's own rows: read with the writer's token, not anonymously.
OWN = "/api/v1/subscriptions/"


def test_every_operation_answers_as_the_schema_says(
    spec, world, api, writer, subscription
):
    openapi = OpenAPI.from_dict(
        spec,
        config=Config(
            extra_media_type_deserializers={"application/geo+json": json.loads}
        ),
    )
    walked = set()
    for path, method, operation in operations(spec):
        url = concrete(path, world)
        reader = writer if path.startswith(OWN) else api
        if method == "get":
            for fmt in formats(operation):
                query = {"format": fmt} if fmt else {}
                query.update(REQUIRED_QUERIES.get(path, {}))
                response = reader.get(url, query)
                assert response.status_code == 200, (url, fmt, response.content)
                check(openapi, response, method, url)
            if any(p["name"] == "format" for p in operation.get("parameters", [])):
                bad = reader.get(
                    url, {**REQUIRED_QUERIES.get(path, {}), **BAD_QUERIES["get"]}
                )
                assert bad.status_code == 400, url
                check(openapi, bad, method, url)
        elif method == "delete":
            # A subscription of its own to delete: the walk reads the other after.
            url = path.replace("{public_id}", str(own_subscription().public_id))
            anonymous = api.delete(url)
            assert anonymous.status_code == 401
            check(openapi, anonymous, method, url)
            response = writer.delete(url)
            assert response.status_code == 204, response.content
            check(openapi, response, method, url)
            missing = writer.delete(url)
            assert missing.status_code == 404
            check(openapi, missing, method, url)
        elif path == "/api/v1/reports/":
            # Anonymous by design: a single-use form token instead of credentials.
            body = report_payload()
            body["form_token"] = api.get("/api/v1/reports/form-token/").json()[
                "form_token"
            ]
            response = api.post(url, body, format="json")
            assert response.status_code == 201, response.content
            check(openapi, response, method, url, body)
            invalid = api.post(url, {**body, "mode": "hovercraft"}, format="json")
            assert invalid.status_code == 400
            check(openapi, invalid, method, url, body)
        else:
            body = BODIES[path]
            anonymous = api.post(url, body, format="json")
            assert anonymous.status_code == 401
            check(openapi, anonymous, method, url, body)
            response = writer.post(url, body, format="json")
            assert response.status_code in (200, 201), (url, response.content)
            check(openapi, response, method, url, body)
            invalid = writer.post(url, {"reports": "x", "status": "?"}, format="json")
            assert invalid.status_code == 400
            check(openapi, invalid, method, url, body)
        walked.add((path, method))
    assert walked == {(p, m) for p, m, _ in operations(spec)}
    assert len(walked) >= 15


def test_every_operation_is_described(spec):
    for path, method, operation in operations(spec):
        assert operation.get("summary") or operation.get("description"), (path, method)
        assert operation["responses"], (path, method)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in ("format",):
                assert parameter.get("description"), (path, method, parameter["name"])


def test_the_schema_describes_sides_facts_and_the_moment(api):
    from routes.models import SIDE_FACT_FIELDS

    spec = api.get("/api/v1/schema/", {"format": "json"}).json()
    schemas = spec["components"]["schemas"]
    facts = schemas["CrossingUpdate"]["properties"]["facts"]
    assert set(facts["properties"]) == set(SIDE_FACT_FIELDS)
    crossing = schemas["Crossing"]["properties"]
    assert {"sides", "status_observed_at", "official_id", "cargo_only"} <= set(crossing)
    listing = spec["paths"]["/api/v1/crossings/"]["get"]["parameters"]
    assert {"at", "cargo_only"} <= {p["name"] for p in listing}
    detail = spec["paths"]["/api/v1/crossings/{slug}/"]["get"]["parameters"]
    assert "at" not in {p["name"] for p in detail}
    history = spec["paths"]["/api/v1/crossings/{slug}/history/"]["get"]
    assert "side" in {p["name"] for p in history["parameters"]}
    side = schemas["CrossingUpdateInputRequest"]["properties"]["side"]
    assert side["allOf"] == [{"$ref": "#/components/schemas/SideEnum"}]
    assert schemas["SideEnum"]["enum"] == ["ru", "neighbour", "both"]

"""GET and POST /api/v1/access-rules/."""

from datetime import UTC, datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from routes.access.models import CrossingAccessRule
from routes.access.services import access_rule_record
from tests.factories import CrossingFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/access-rules/"
ERR = "https://news.err.ee/1609232801/narva-border-crossing-only-open-to-pedestrians-from-february"


def rule(crossing, side="neighbour", day=1, **changes):
    values = {
        "crossing": crossing,
        "side": side,
        "valid_from": datetime(2024, 2, day, tzinfo=UTC),
        "modes": ["foot"],
        "who": "",
        "vehicles_refused": "ru-registered",
        "source_kind": "staff",
        "source_url": ERR,
        **changes,
    }
    rule, _created = access_rule_record(**values)
    return rule


@pytest.fixture
def narva(db):
    return CrossingFactory(slug="ivangorod")


@pytest.fixture
def body():
    return {
        "crossing": "ivangorod",
        "side": "neighbour",
        "valid_from": "2024-05-01T00:00:00+03:00",
        "modes": ["foot"],
        "who": "",
        "vehicles_refused": "ru-registered",
        "hours": "07:00–23:00",
        "source_url": "https://interfax.com/newsroom/top-stories/101551/",
        "note_en": "Narva-1 open 07:00–23:00",
    }


def test_the_rules_in_force_per_crossing_and_side_with_their_source(api, narva):
    rule(narva)
    rule(narva, day=2, modes=None, who="anyone", vehicles_refused="")
    rule(narva, side="ru", modes=["foot"], who="anyone")
    rule(CrossingFactory(slug="borisoglebsk"), modes=None, vehicles_refused="ru-owned")
    response = api.get(URL, {"at": "2024-02-01T12:00:00Z"})
    assert response.status_code == 200
    rows = response.json()
    assert [(r["crossing"], r["side"]) for r in rows] == [
        ("borisoglebsk", "neighbour"),
        ("ivangorod", "ru"),
        ("ivangorod", "neighbour"),
    ]
    narva_side = rows[2]
    assert narva_side == {
        "crossing": "ivangorod",
        "side": "neighbour",
        "modes": ["foot"],
        "who": "",
        "vehicles_refused": "ru-registered",
        "hours": "",
        "valid_from": "2024-02-01T00:00:00Z",
        "source_kind": "staff",
        "source_url": ERR,
        "note_en": "",
        "note_ru": "",
    }
    now = api.get(URL, {"crossing": "ivangorod"}).json()
    assert [(r["side"], r["modes"], r["who"]) for r in now] == [
        ("ru", ["foot"], "anyone"),
        ("neighbour", None, "anyone"),
    ]
    assert api.get(URL, {"at": "2023-01-01"}).json() == []


@pytest.mark.parametrize(
    "query, field",
    [
        ({"at": "yesterday"}, "at"),
        ({"at": "2999-01-01"}, "at"),
        ({"crossing": "atlantis"}, "crossing"),
        ({"country": "EE"}, "country"),
    ],
)
def test_bad_parameters_are_a_json_400_by_field(api, narva, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_list_costs_the_same_queries_for_one_crossing_or_many(
    api, narva, django_assert_num_queries
):
    rule(narva)
    with django_assert_num_queries(2):
        assert len(api.get(URL).json()) == 1
    for _ in range(8):
        crossing = CrossingFactory()
        rule(crossing)
        rule(crossing, side="ru", day=2)
    with django_assert_num_queries(2):
        assert len(api.get(URL).json()) == 17
    with django_assert_num_queries(2):
        assert len(api.get(URL, {"crossing": "ivangorod"}).json()) == 1


def test_a_write_needs_a_token_and_the_editor_permission(api, narva, body):
    assert api.post(URL, body, format="json").status_code == 401
    stranger = APIClient()
    user = UserFactory(username="stranger")
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    assert stranger.post(URL, body, format="json").status_code == 403
    assert not CrossingAccessRule.objects.exists()


def test_an_editor_records_a_rule_through_the_write_path(editor_api, narva, body):
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["valid_from"] == "2024-04-30T21:00:00Z"
    assert (data["hours"], data["source_kind"]) == ("07:00–23:00", "staff")
    saved = CrossingAccessRule.objects.get()
    assert (saved.actor.username, saved.modes) == ("nino", ["foot"])
    # The same rule again is the same rule.
    assert editor_api.post(URL, body, format="json").status_code == 201
    assert CrossingAccessRule.objects.count() == 1
    listed = editor_api.get(URL, {"crossing": "ivangorod"}).json()
    assert listed[0]["hours"] == "07:00–23:00"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"modes": ["hovercraft"]}, "modes"),
        ({"modes": [], "who": "anyone"}, "modes"),
        ({"who": "tourists"}, "who"),
        ({"side": "both"}, "side"),
        ({"crossing": "atlantis"}, "crossing"),
        ({"valid_from": "2024-05-01T00:00:00"}, "valid_from"),
        ({"valid_from": "1990-05-01T00:00:00Z"}, "valid_from"),
        ({"source_url": ""}, "source_url"),
        ({"vehicles_refused": "all"}, "vehicles_refused"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(
    editor_api, narva, body, changes, field
):
    response = editor_api.post(URL, {**body, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CrossingAccessRule.objects.exists()


def test_a_missing_source_is_named(editor_api, narva, body):
    del body["source_url"]
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert "source_url" in response.json()

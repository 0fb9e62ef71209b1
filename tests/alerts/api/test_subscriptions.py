"""Partners register webhooks, see and delete only their own, and read each
one's delivery log."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts.models import Delivery, Subscription
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"
TARGET = "https://hooks.partner.example/exitwatch"


def register(client, **body):
    return client.post(URL, {"target_url": TARGET, **body}, format="json")


def test_a_partner_registers_a_webhook_and_sees_its_secret_once(
    partner_api, dns, crossing
):
    response = register(
        partner_api,
        crossings=["upper-lars"],
        countries=["ge"],
        kinds=["status_change", "wait_threshold"],
        wait_threshold_minutes={"car": 360},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["target_url"] == TARGET
    assert created["countries"] == ["GE"]
    assert created["wait_threshold_minutes"] == {"car": 360}
    assert created["paused"] is False
    subscription = Subscription.objects.get()
    assert created["id"] == str(subscription.public_id)
    assert subscription.secret == created["secret"]

    shown = partner_api.get(f"{URL}{created['id']}/").json()
    assert "secret" not in shown
    assert shown["id"] == created["id"]
    listed = partner_api.get(URL).json()["results"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_registering_needs_a_token_and_the_permission(api, dns, editor_api):
    assert register(api).status_code == 401
    refused = register(editor_api)  # a crossing editor, not a webhook partner
    assert refused.status_code == 403
    assert "webhook" in refused.json()["detail"]
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"target_url": "http://hooks.partner.example/x"}, "target_url", "https"),
        ({"target_url": "https://10.0.0.1/x"}, "target_url", "10.0.0.1"),
        ({"target_url": "https://169.254.169.254/x"}, "target_url", "may not reach"),
        ({"target_url": "https://intranet.partner.example/"}, "target_url", "10.9"),
        ({"target_url": "https://nowhere.partner.example/"}, "target_url", "resolved"),
        ({"target_url": "not a url"}, "target_url", "valid URL"),
        ({"crossings": ["atlantis"]}, "crossings", "atlantis"),
        ({"countries": ["ZZ"]}, "countries", "ZZ"),
        ({"kinds": ["gossip"]}, "kinds", "gossip"),
        ({"wait_threshold_minutes": {"boat": 60}}, "wait_threshold_minutes", "boat"),
        ({"wait_threshold_minutes": {"car": 5}}, "wait_threshold_minutes", "60"),
        (
            {"kinds": ["status_change"], "wait_threshold_minutes": {"car": 90}},
            "wait_threshold_minutes",
            "wait_threshold",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(partner_api, dns, body, field, words):
    dns["intranet.partner.example"] = ["10.9.8.7"]
    response = register(partner_api, **body)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert words in json.dumps(errors[field])  # a list, or messages by key
    assert not Subscription.objects.exists()


def test_nobody_sees_or_deletes_another_partners_subscription(partner_api, dns):
    created = register(partner_api).json()
    other = UserFactory(username="boris")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other)}")
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{created['id']}/").status_code == 404
    assert client.delete(f"{URL}{created['id']}/").status_code == 404
    assert client.get(f"{URL}{created['id']}/deliveries/").status_code == 404
    assert Subscription.objects.count() == 1


def test_a_partner_deletes_its_subscription(partner_api, dns):
    created = register(partner_api).json()
    assert partner_api.delete(f"{URL}{created['id']}/").status_code == 204
    assert not Subscription.objects.exists()
    assert partner_api.get(f"{URL}{created['id']}/").status_code == 404


def test_urls_take_the_public_id_only(partner_api, dns):
    register(partner_api)
    pk = Subscription.objects.get().pk
    assert partner_api.get(f"{URL}{pk}/").status_code == 404
    assert partner_api.get(f"{URL}not-a-uuid/").status_code == 404
    assert partner_api.delete(f"{URL}not-a-uuid/").status_code == 404


def test_the_delivery_log_says_how_each_event_went(partner_api, dns, crossing):
    created = register(partner_api).json()
    for status in ("closed", "open"):
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status=status,
            source_url="https://t.me/exitwatch_border/101",
        )
    run_outbox()
    Delivery.objects.filter(event__payload__status__new="closed").update(
        attempts=2, last_status_code=503, last_error="HTTP 503"
    )
    log = partner_api.get(f"{URL}{created['id']}/deliveries/").json()["results"]
    assert [d["event_kind"] for d in log] == ["status_change", "status_change"]
    newest, oldest = log
    assert newest["event_id"].startswith("msg_")
    assert (oldest["attempts"], oldest["last_status_code"], oldest["last_error"]) == (
        2,
        503,
        "HTTP 503",
    )
    assert newest["state"] == "pending" and newest["next_attempt_at"] is not None


def test_lists_cost_the_same_few_queries_however_long(
    partner_api, dns, crossing, django_assert_num_queries
):
    for _ in range(3):
        register(partner_api, crossings=["upper-lars"])
    first = Subscription.objects.order_by("id").first()
    for status in ("closed", "open", "restricted", "closed"):
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            status=status,
            source_url="https://t.me/exitwatch_border/101",
        )
    run_outbox()
    # The token and its account, then the rows.
    with django_assert_num_queries(2):
        assert len(partner_api.get(URL).json()["results"]) == 3
    # The token, the subscription, then the deliveries with their events.
    with django_assert_num_queries(3):
        log = partner_api.get(f"{URL}{first.public_id}/deliveries/").json()
    assert len(log["results"]) == 4

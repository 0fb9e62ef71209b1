"""POST /api/v1/crossings/{slug}/updates/: partners write through the write path."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exitwatch.lib.snapshot import snapshot_version
from routes.models import CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/crossings/upper-lars/updates/"
REPORT = {"status": "restricted", "waits": {"car": 720, "truck": 3000}, "note": "Queue"}


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def test_an_editor_records_an_update_that_moves_the_crossing(
    editor_api, editor, crossing, django_capture_on_commit_callbacks
):
    before = snapshot_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(URL, REPORT, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "restricted"
    crossing.refresh_from_db()
    assert (crossing.status, crossing.wait_car, crossing.wait_truck) == (
        "restricted",
        720,
        3000,
    )
    update = CrossingUpdate.objects.get()
    assert (update.actor, update.source_kind) == (editor, "staff")
    assert response["ETag"] == f'"{crossing.pk}.{crossing.version}.0"'
    assert snapshot_version() != before


def test_a_partner_account_records_as_partner_or_official(crossing, db):
    partner = UserFactory(username="partner-bot")
    partner.user_permissions.add(Permission.objects.get(codename="update_status"))
    client = token_client(partner)
    opened = {"status": "open", "source_url": "https://partner.example/lars/1"}
    assert client.post(URL, opened, format="json").status_code == 201
    official = {"status": "closed", "source_kind": "official", "note": "Decree 17"}
    assert client.post(URL, official, format="json").status_code == 201
    assert list(
        CrossingUpdate.objects.order_by("id").values_list("source_kind", flat=True)
    ) == ["partner", "official"]


def test_anonymous_clients_cannot_write(api, crossing):
    response = api.post(URL, REPORT, format="json")
    assert response.status_code == 401
    assert not CrossingUpdate.objects.exists()


def test_a_bad_token_is_401(crossing):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.post(URL, REPORT, format="json").status_code == 401


def test_a_user_without_the_editor_permission_is_403(crossing, db):
    client = token_client(UserFactory(username="reader"))
    response = client.post(URL, REPORT, format="json")
    assert response.status_code == 403
    assert not CrossingUpdate.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "jammed"}, "status"),
        ({"waits": {"car": -5}}, "waits"),
        ({"waits": {"car": 99999}}, "waits"),
        ({"queue_length": -1}, "queue_length"),
        ({"observed_at": "2999-01-01T00:00:00Z"}, "observed_at"),
        ({"observed_at": "soon"}, "observed_at"),
        ({"observed_at": "2022-09-25T08:00:00"}, "observed_at"),  # which 08:00?
        ({"source_kind": "staff"}, "source_kind"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_is_a_400_with_field_messages_and_writes_nothing(
    editor_api, crossing, payload, field
):
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not CrossingUpdate.objects.exists()


def test_if_match_with_the_current_etag_is_accepted(editor_api, crossing):
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    response = editor_api.post(URL, REPORT, format="json", headers={"if-match": etag})
    assert response.status_code == 201


def test_if_match_after_someone_else_changed_it_is_412(editor_api, crossing):
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    crossing_update_record(
        crossing=crossing, source_kind="staff", status="closed", note="Closed at 14:00"
    )
    response = editor_api.post(URL, REPORT, format="json", headers={"if-match": etag})
    assert response.status_code == 412
    assert response.json()["etag"] == response["ETag"] != etag
    crossing.refresh_from_db()
    assert crossing.status == "closed"
    assert crossing.updates.count() == 1


def test_a_malformed_if_match_is_412(editor_api, crossing):
    response = editor_api.post(
        URL, REPORT, format="json", headers={"if-match": '"garbage"'}
    )
    assert response.status_code == 412


def test_an_unknown_crossing_is_404(editor_api, db):
    response = editor_api.post(
        "/api/v1/crossings/nowhere/updates/", REPORT, format="json"
    )
    assert response.status_code == 404


def test_a_status_without_a_source_or_a_note_is_a_400_naming_source_url(
    editor_api, crossing
):
    response = editor_api.post(URL, {"status": "closed"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "source_url": ["Give a source URL or write in the note why the status changed."]
    }
    assert not CrossingUpdate.objects.exists()
    crossing.refresh_from_db()
    assert (crossing.status, crossing.version) == ("unknown", 1)


def test_a_wait_alone_needs_no_source(editor_api, crossing):
    response = editor_api.post(URL, {"waits": {"car": 45}}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["side"] == ""


def test_a_status_is_about_the_side_named_and_both_by_default(editor_api, crossing):
    closed = {
        "status": "closed",
        "side": "neighbour",
        "source_url": "https://www.gov.ge/news/upper-lars",
    }
    response = editor_api.post(URL, closed, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["side"]) == (
        "closed",
        "neighbour",
    )
    opened = {"status": "open", "note": "Cars are let through on our side"}
    response = editor_api.post(URL, opened, format="json")
    assert response.json()["side"] == "both"
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status) == ("open", "open")
    ru = {"status": "restricted", "side": "ru", "note": "Trucks only"}
    editor_api.post(URL, ru, format="json")
    detail = editor_api.get("/api/v1/crossings/upper-lars/").json()
    assert detail["status"] == "restricted"
    assert detail["sides"]["ru"]["status"] == "restricted"
    assert detail["sides"]["ru"]["note"] == "Trucks only"
    assert detail["sides"]["neighbour"]["status"] == "open"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"side": "left", "status": "open", "note": "x"}, "side"),
        ({"side": "", "status": "open", "note": "x"}, "side"),
        ({"side": "ru", "note": "No status given"}, "status"),
    ],
)
def test_a_bad_side_is_a_400_with_field_messages(editor_api, crossing, payload, field):
    response = editor_api.post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field][0]
    assert not CrossingUpdate.objects.exists()

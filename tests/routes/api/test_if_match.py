"""If-Match on crossing updates: strong comparison, and a 412 that says when the
crossing changed but never who changed it."""

import pytest

from exitwatch.lib.formatting import iso_z
from routes.api import views
from routes.models import CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/crossings/upper-lars/updates/"
REPORT = {"waits": {"car": 90}, "note": "Queue to the bridge"}


def test_a_412_from_a_write_that_lands_meanwhile_does_not_name_its_author(
    editor_api, crossing, monkeypatch
):
    partner_a = UserFactory(username="partner_a")
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    record = views.crossing_update_record

    def another_write_lands_first(**kwargs):
        # partner_a's update is committed between this request's If-Match check
        # and its own write, which then finds a newer version under the lock.
        crossing_update_record(
            crossing=crossing,
            source_kind="partner",
            status="closed",
            note="Closed by the border guard",
            actor=partner_a,
        )
        return record(**kwargs)

    monkeypatch.setattr(views, "crossing_update_record", another_write_lands_first)
    response = editor_api.post(URL, REPORT, format="json", headers={"if-match": etag})

    assert response.status_code == 412
    body = response.json()
    assert "partner_a" not in response.content.decode()
    crossing.refresh_from_db()
    assert body["last_recorded_at"] == iso_z(crossing.last_recorded_at)
    assert iso_z(crossing.last_recorded_at) in body["detail"]
    assert body["etag"] == response["ETag"] != etag
    assert CrossingUpdate.objects.count() == 1  # only partner_a's


def test_a_412_for_a_stale_etag_says_when_but_not_who(editor_api, crossing):
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    crossing_update_record(
        crossing=crossing,
        source_kind="partner",
        status="closed",
        note="Closed",
        actor=UserFactory(username="partner_a"),
    )
    response = editor_api.post(URL, REPORT, format="json", headers={"if-match": etag})
    assert response.status_code == 412
    crossing.refresh_from_db()
    assert response.json()["last_recorded_at"] == iso_z(crossing.last_recorded_at)
    assert "partner_a" not in response.content.decode()


def test_a_weak_etag_never_satisfies_if_match(editor_api, crossing):
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    response = editor_api.post(
        URL, REPORT, format="json", headers={"if-match": f"W/{etag}"}
    )
    assert response.status_code == 412
    assert "weak" in response.json()["detail"]
    assert not CrossingUpdate.objects.exists()


def test_a_strong_etag_beside_a_weak_one_still_matches(editor_api, crossing):
    etag = editor_api.get("/api/v1/crossings/upper-lars/")["ETag"]
    response = editor_api.post(
        URL, REPORT, format="json", headers={"if-match": f'W/"1.9.0", {etag}'}
    )
    assert response.status_code == 201, response.content


def test_if_match_star_accepts_any_version(editor_api, crossing):
    response = editor_api.post(URL, REPORT, format="json", headers={"if-match": "*"})
    assert response.status_code == 201, response.content

"""Submitting reports: what is accepted, what is refused (400 per field, nothing
stored), anti-forgery tokens, the honeypot, and the rate limits (429 + Retry-After)."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from routes.reports.models import TravellerReport
from routes.reports.tokens import form_token_issue
from tests.factories import CrossingFactory
from tests.routes.reports.reporting import (  # noqa: F401  (no_static_manifest: fixture)
    API,
    form_data,
    form_token,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_static_manifest")]


def test_an_anonymous_api_report_is_stored_pending_and_scrubbed(crossing, client):
    observed = timezone.now() - timedelta(minutes=33)
    response = post_report(
        client,
        payload(
            observed_at=observed.isoformat(),
            note="Call me +7 912 345-67-89, car А123ВС 77",
            queue_position=250,
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending"
    assert body["note"] == "Call me [phone], car [plate]"
    report = TravellerReport.objects.get()
    assert report.note == "Call me [phone], car [plate]"
    assert (report.wait_minutes, report.queue_position) == (360, 250)
    # Stored and shown only to 5 minutes.
    assert report.observed_at.second == 0 and report.observed_at.minute % 5 == 0
    assert timedelta(0) <= observed - report.observed_at < timedelta(minutes=5)
    assert report.submitted_at.minute % 5 == 0
    crossing.refresh_from_db()
    assert crossing.wait_car is None  # nothing changes before moderation


def test_observed_at_defaults_to_now_and_only_a_position_is_enough(crossing, client):
    data = payload(queue_position=40)
    del data["wait_minutes"]
    response = post_report(client, data)
    assert response.status_code == 201, response.content
    report = TravellerReport.objects.get()
    assert report.wait_minutes is None
    assert timezone.now() - report.observed_at < timedelta(minutes=6)


def _future():
    return (timezone.now() + timedelta(hours=1)).isoformat()


def _too_old():
    return (timezone.now() - timedelta(hours=49)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"observed_at": "future"}, "observed_at"),
        ({"observed_at": "too_old"}, "observed_at"),
        ({"observed_at": "2022-09-24T14:30:00"}, "observed_at"),  # no offset
        ({"observed_at": "yesterday-ish"}, "observed_at"),
        ({"note": "x" * 501}, "note"),
        ({"note": "null \x00 byte"}, "note"),
        ({"mode": "helicopter"}, "mode"),
        ({"crossing": "nowhere"}, "crossing"),
        ({"direction": "sideways"}, "direction"),
        ({"status_seen": "unknown"}, "status_seen"),
        ({"wait_minutes": -1}, "wait_minutes"),
        ({"wait_minutes": 10081}, "wait_minutes"),
        ({"wait_minutes": "lots"}, "wait_minutes"),
        ({"wait_minutes": None}, "wait_minutes"),  # and no queue position
        ({"queue_position": -3}, "queue_position"),
        ({"language": "de"}, "language"),
        ({"website": "http://spam.example"}, "website"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field_and_stores_nothing(
    crossing, client, overrides, field
):
    if overrides.get("observed_at") == "future":
        overrides["observed_at"] = _future()
    if overrides.get("observed_at") == "too_old":
        overrides["observed_at"] = _too_old()
    response = post_report(client, payload(**overrides))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert TravellerReport.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    ["", "forged", "abc:def:ghi"],
)
def test_a_missing_or_forged_form_token_is_refused(crossing, client, token):
    response = post_report(client, payload(), token=token)
    assert response.status_code == 400
    assert "form_token" in response.json()
    assert TravellerReport.objects.count() == 0


def test_an_expired_form_token_is_refused_with_a_clear_message(crossing, client):
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        old = form_token_issue()
    response = post_report(client, payload(), token=old)
    assert response.status_code == 400
    assert "too old" in response.json()["form_token"][0]
    assert TravellerReport.objects.count() == 0


def test_a_form_token_is_accepted_once(crossing, client):
    token = form_token(client)
    assert post_report(client, payload(), token=token).status_code == 201
    again = post_report(client, payload(wait_minutes=30), token=token)
    assert again.status_code == 400
    assert "already sent" in again.json()["form_token"][0]
    assert TravellerReport.objects.count() == 1


def test_a_token_is_not_spent_by_a_refused_report(crossing, client):
    token = form_token(client)
    assert post_report(client, payload(mode="boat"), token=token).status_code == 400
    assert post_report(client, payload(), token=token).status_code == 201


def test_the_api_takes_only_json_so_a_cross_site_form_cannot_post(crossing, client):
    data = {**payload(), "form_token": form_token(client)}
    response = client.post(API, data)  # multipart, as an HTML form would send
    assert response.status_code == 415
    assert TravellerReport.objects.count() == 0


def test_malformed_json_is_a_400(crossing, client):
    response = client.post(API, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(API, json.dumps([1, 2]), content_type="application/json")
    assert response.status_code == 400
    assert TravellerReport.objects.count() == 0


def test_the_form_token_endpoint_is_never_cached(client):
    response = client.get("/api/v1/reports/form-token/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json()["expires_in"] == 3600


def test_the_page_form_shows_field_messages_keeps_answers_and_renews_the_token(
    crossing,
):
    browser = Client()
    page = browser.get("/report/")
    assert page.status_code == 200
    token = page_form_token(page.content.decode())
    response = browser.post(
        "/report/",
        form_data(
            wait_hours="",
            wait_minutes="",
            note="Slow today",
            mode="",
            form_token=token,
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "mode" in form.errors
    html = response.content.decode()
    assert "Slow today" in html
    assert page_form_token(html) != token
    assert TravellerReport.objects.count() == 0


def test_the_page_refuses_a_missing_csrf_token(crossing):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/report/upper-lars/")
    token = page_form_token(page.content.decode())
    response = browser.post("/report/upper-lars/", form_data(form_token=token))
    assert response.status_code == 403
    assert TravellerReport.objects.count() == 0


def test_the_page_takes_a_report_for_a_chosen_crossing(crossing):
    other = CrossingFactory(slug="verkhny-lars-2", name_en="Kazbegi")
    browser = Client()
    token = page_form_token(browser.get("/report/").content.decode())
    response = browser.post(
        "/report/",
        form_data(
            crossing="verkhny-lars-2",
            mode="bicycle",
            observed_ago="60",
            form_token=token,
        ),
    )
    assert response.status_code == 302
    report = TravellerReport.objects.get()
    assert (report.crossing, report.mode, report.wait_minutes) == (
        other,
        "bicycle",
        330,
    )
    assert (
        timedelta(minutes=55)
        < timezone.now() - report.observed_at
        < timedelta(minutes=66)
    )


def test_the_page_refuses_a_filled_honeypot(crossing):
    browser = Client()
    token = page_form_token(browser.get("/report/").content.decode())
    response = browser.post(
        "/report/", form_data(form_token=token, website="http://spam.example")
    )
    assert response.status_code == 400
    assert "website" in response.context["form"].errors
    assert TravellerReport.objects.count() == 0


def test_an_unknown_crossing_page_is_404(db, client):
    assert client.get("/report/atlantis/").status_code == 404


def test_one_client_gets_429_with_retry_after_past_its_limit(crossing, settings):
    settings.REPORT_CLIENT_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert post_report(client, payload(wait_minutes=10)).status_code == 201
    assert post_report(client, payload(wait_minutes=20)).status_code == 201
    refused = post_report(client, payload(wait_minutes=30))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.REPORT_CLIENT_WINDOW
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert "try again in" in refused.json()["detail"]
    # Someone else on another network is not affected.
    assert post_report(Client(REMOTE_ADDR="192.0.2.1"), payload()).status_code == 201
    assert TravellerReport.objects.count() == 3


def test_the_page_also_answers_429_with_retry_after(crossing, settings):
    settings.REPORT_CLIENT_LIMIT = 1
    browser = Client(REMOTE_ADDR="198.51.100.8")
    for expected in (302, 429):
        token = page_form_token(browser.get("/report/").content.decode())
        response = browser.post("/report/", form_data(form_token=token))
        assert response.status_code == expected
    assert int(response["Retry-After"]) >= 1
    assert "Too many reports" in response.content.decode()
    assert TravellerReport.objects.count() == 1


def test_a_busy_crossing_holds_back_a_flood_but_refuses_nobody(crossing, settings):
    settings.REPORT_CROSSING_LIMIT = 3
    # Five networks, one report each: past the budget, yet each sender's first.
    codes = [
        post_report(Client(REMOTE_ADDR=f"203.0.113.{n}"), payload()).status_code
        for n in range(1, 6)
    ]
    assert codes == [201] * 5
    assert not TravellerReport.objects.filter(quarantined=True).exists()
    # One network sending more: its first two go on as usual, then it is held.
    flooder = Client(REMOTE_ADDR="203.0.113.66")
    for wait in (10, 11, 12, 13):
        assert post_report(flooder, payload(wait_minutes=wait)).status_code == 201
    held = TravellerReport.objects.filter(quarantined=True)
    assert sorted(held.values_list("wait_minutes", flat=True)) == [12, 13]
    # The answer does not tell a flooder it was held back.
    answer = post_report(flooder, payload(wait_minutes=14)).json()
    assert "quarantined" not in answer and answer["state"] == "pending"
    # Other crossings are not held up by this one.
    CrossingFactory(slug="sadakhlo")
    other = post_report(flooder, payload("sadakhlo"))
    assert other.status_code == 201
    assert not TravellerReport.objects.get(crossing__slug="sadakhlo").quarantined


def test_x_forwarded_for_is_ignored_without_proxies(crossing, settings):
    settings.REPORT_CLIENT_LIMIT = 1
    client = Client(REMOTE_ADDR="198.51.100.9")
    first = post_report(client, payload(), HTTP_X_FORWARDED_FOR="192.0.2.1")
    spoofed = post_report(client, payload(), HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert (first.status_code, spoofed.status_code) == (201, 429)


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(crossing, settings):
    settings.REPORT_CLIENT_LIMIT = 1
    settings.NUM_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    a = post_report(proxy, payload(), HTTP_X_FORWARDED_FOR="192.0.2.1")
    b = post_report(proxy, payload(), HTTP_X_FORWARDED_FOR="192.0.2.2")
    # A client cannot escape its limit by writing its own X-Forwarded-For.
    a_again = post_report(proxy, payload(), HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1")
    assert (a.status_code, b.status_code, a_again.status_code) == (201, 201, 429)


def test_ipv6_clients_are_counted_per_64(crossing, settings):
    settings.REPORT_CLIENT_LIMIT = 1
    first = Client(REMOTE_ADDR="2001:db8:1:2::1")
    same_64 = Client(REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other_64 = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert post_report(first, payload()).status_code == 201
    assert post_report(same_64, payload()).status_code == 429
    assert post_report(other_64, payload()).status_code == 201


def test_a_phone_split_by_zero_width_spaces_is_not_stored(crossing, client):
    note = "call +7\u200b999\u200b123\u200b45\u200b67 or x\u200b@\u200bmail.ru"
    response = post_report(client, payload(note=note))
    assert response.status_code == 201, response.content
    assert response.json()["note"] == "call [phone] or [e-mail]"
    assert TravellerReport.objects.get().note == "call [phone] or [e-mail]"

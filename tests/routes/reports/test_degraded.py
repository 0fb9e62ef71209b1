"""Reports while Redis is away: stored (never a 5xx), told of by the moderators'
sweep once it is back, and the per-crossing budget counted from the database, since
the cache's counters forget within seconds meanwhile.

Redis is "away" here as an address where nothing listens (the real outage, with a
real worker, is tests/integration/test_report_outbox.py)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from exitwatch.lib.cache import known_down
from exitwatch.lib.coarse_time import PUBLIC_TIME_STEP
from routes.reports.models import TravellerReport
from routes.reports.notify import reports_notify_moderators
from tests.factories import EditorFactory
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    form_data,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = pytest.mark.usefixtures("no_static_manifest")


@pytest.fixture
def redis_down(settings):
    # Nothing listens on port 1. Entries of the local fallback live 1 ms: as if
    # every request came to another process, or seconds later.
    settings.CACHES = {
        "default": {
            "BACKEND": "exitwatch.lib.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": "exitwatch-test",
            "OPTIONS": {"retry_after": 60, "fallback_timeout": 0.001},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_while_redis_is_away_is_stored_and_announced_later(
    crossing, redis_down, settings, eager_celery
):
    EditorFactory(username="nino", email="nino@exitwatch.example")
    response = post_report(Client(), payload(note="Slow on the Georgian side"))
    assert response.status_code == 201, response.content
    assert known_down(cache)
    report = TravellerReport.objects.get()
    assert report.state == "pending"
    assert report.moderators_notified_at is None
    assert mail.outbox == []

    # Redis is back, and beat's sweep runs once the report's step is over.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    notice = reports_notify_moderators(
        owner="test", now=report.submitted_at + PUBLIC_TIME_STEP
    )
    assert (notice.status, notice.reports) == ("sent", 1)
    report.refresh_from_db()
    assert report.moderators_notified_at is not None
    [notice] = mail.outbox
    assert notice.bcc == ["nino@exitwatch.example"]
    assert "Upper Lars: 1" in notice.body
    assert "Georgian" not in notice.body


@pytest.mark.django_db
def test_the_report_form_works_while_redis_is_away(crossing, redis_down):
    client = Client()
    page = client.get("/report/upper-lars/")
    assert page.status_code == 200
    token = page_form_token(page.content.decode())
    response = client.post("/report/upper-lars/", {**form_data(), "form_token": token})
    assert response.status_code == 302, response.content.decode()[:500]
    assert known_down(cache)
    assert TravellerReport.objects.get().state == "pending"


@pytest.mark.django_db
def test_while_redis_is_away_the_crossing_budget_is_counted_in_the_database(
    crossing, redis_down, settings
):
    settings.REPORT_CROSSING_LIMIT = 3
    for n in range(5):
        # Different networks; senders cannot be counted while the cache is away,
        # so past the budget every report is held back, none refused.
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        response = post_report(client, payload(wait_minutes=60 + n))
        assert response.status_code == 201, response.content
    held = TravellerReport.objects.filter(quarantined=True)
    assert sorted(held.values_list("wait_minutes", flat=True)) == [63, 64]
    assert TravellerReport.objects.count() == 5


@pytest.mark.django_db
def test_trusted_reports_do_not_count_against_the_crossing_in_the_database(
    crossing, redis_down, settings
):
    from routes.reports.services import trusted_token_issue

    settings.REPORT_CROSSING_LIMIT = 1
    _token, raw = trusted_token_issue(label="Volunteers at Upper Lars")
    for minutes in (30, 40):
        trusted = Client().post(
            "/api/v1/reports/",
            payload(wait_minutes=minutes),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Reporter {raw}",
        )
        assert trusted.status_code == 201, trusted.content
    assert post_report(Client(), payload(wait_minutes=1)).status_code == 201
    assert post_report(Client(), payload(wait_minutes=2)).status_code == 201
    held = TravellerReport.objects.filter(quarantined=True)
    assert list(held.values_list("wait_minutes", flat=True)) == [2]

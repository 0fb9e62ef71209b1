"""Helpers for the traveller report tests: payloads, submission, a report factory."""

from __future__ import annotations

import re
from typing import Any

import factory
import pytest
from django.test import Client
from django.utils import timezone

from exitwatch.lib.coarse_time import floor_time
from routes.reports.models import TravellerReport
from tests.factories import CrossingFactory

API = "/api/v1/reports/"
TOKEN_URL = "/api/v1/reports/form-token/"
ADMIN_QUEUE = "/admin/reports/travellerreport/"


@pytest.fixture
def no_static_manifest(settings: Any) -> None:
    """Pages render {% static %}; tests run with DEBUG off and no collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def form_token(client: Client) -> str:
    return client.get(TOKEN_URL).json()["form_token"]


def payload(crossing_slug: str = "upper-lars", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "crossing": crossing_slug,
        "direction": "leaving",
        "mode": "car",
        "status_seen": "open",
        "wait_minutes": 360,
        "note": "Slow on the Georgian side",
        "language": "en",
    }
    data.update(overrides)
    return data


def post_report(
    client: Client, data: dict[str, Any], *, token: str | None = None, **extra: Any
) -> Any:
    """POST a report to the API, with a fresh form token unless one is given."""
    body = {"form_token": form_token(client) if token is None else token, **data}
    return client.post(API, body, content_type="application/json", **extra)


def page_form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "the form carries no form token"
    return match.group(1)


def form_data(crossing_slug: str = "upper-lars", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "crossing": crossing_slug,
        "direction": "leaving",
        "mode": "car",
        "status_seen": "open",
        "wait_hours": "5",
        "wait_minutes": "30",
        "queue_position": "",
        "observed_ago": "0",
        "note": "",
        "website": "",
    }
    data.update(overrides)
    return data


class ReportFactory(factory.django.DjangoModelFactory):
    """A stored report, as report_submit would leave it (times floored)."""

    class Meta:
        model = TravellerReport

    crossing = factory.SubFactory(CrossingFactory)
    direction = "leaving"
    mode = "car"
    status_seen = "open"
    wait_minutes = 120
    observed_at = factory.LazyFunction(lambda: floor_time(timezone.now()))
    submitted_at = factory.LazyFunction(lambda: floor_time(timezone.now()))
    language = "en"

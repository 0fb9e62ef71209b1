from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from routes.services import crossing_update_record

SOURCE = "https://example.org/border-service"


@pytest.fixture
def record():
    """Record an observation `minutes` ago through the one write path."""
    now = timezone.now()

    def record(crossing, minutes, **values):
        values.setdefault("source_kind", "staff")
        values.setdefault("source_url", SOURCE)
        return crossing_update_record(
            crossing=crossing, observed_at=now - timedelta(minutes=minutes), **values
        )

    return record


@pytest.fixture
def fetch(client):
    """GET a feed; its parse by feedparser, which must find it well formed."""

    def fetch(url, **headers):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.status_code
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        return response, parsed

    return fetch

"""/advisories/: advice published more than a year ago shows its own date first."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import AdvisoryFactory, AdvisorySourceFactory

pytestmark = pytest.mark.django_db


def test_advice_from_years_ago_leads_with_its_date_not_the_fetch(client):
    canada = AdvisorySourceFactory(key="ca-travel", issuer="CA")
    AdvisoryFactory(
        source=canada,
        title="Russia travel advice",
        published_at=datetime(2014, 3, 12, 9, tzinfo=UTC),
        fetched_at=timezone.now(),
    )
    AdvisoryFactory(
        title="Fresh advice", published_at=timezone.now() - timedelta(days=3)
    )
    html = client.get("/advisories/").content.decode()
    old_row = html[html.index("Published 12 March 2014") :]
    assert old_row.index("Published 12 March 2014") < old_row.index(
        "Russia travel advice"
    )
    assert html.count("more than a year old") == 1


def test_the_old_date_is_in_russian_on_the_russian_page(client):
    AdvisoryFactory(published_at=datetime(2014, 3, 12, 9, tzinfo=UTC))
    html = client.get("/advisories/", headers={"accept-language": "ru"}).content
    assert "марта 2014".encode() in html

"""GET /api/v1/advisories/: current advice with revision history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advisories.models import AdvisoryRevision
from tests.factories import AdvisoryFactory, AdvisorySourceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/advisories/"


@pytest.fixture
def advisories(db):
    us = AdvisoryFactory()
    uk = AdvisoryFactory(
        source=AdvisorySourceFactory(key="uk-fcdo", issuer="GB", name_en="UK FCDO"),
        level=3,
        title="Russia travel advice",
    )
    AdvisoryFactory(source=us.source, target_country="BY", level=4)
    now = timezone.now()
    for days, change, level in [(30, "new", 3), (2, "level_up", 4)]:
        AdvisoryRevision.objects.create(
            advisory=us,
            change=change,
            level=level,
            title=us.title,
            content_hash=f"{days:064x}",
            recorded_at=now - timedelta(days=days),
        )
    return us, uk


def test_advisories_come_with_revisions_newest_first(api, advisories):
    us, _ = advisories
    body = api.get(f"{URL}{us.pk}/").json()
    assert (body["issuer"], body["target_country"], body["level"]) == ("US", "RU", 4)
    assert [r["change"] for r in body["revisions"]] == ["level_up", "new"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("issuer=GB", [("GB", "RU")]),
        ("target_country=BY", [("US", "BY")]),
        ("level=3", [("GB", "RU")]),
        ("source=us-state&target_country=ru", [("US", "RU")]),
    ],
)
def test_filters(api, advisories, query, expected):
    results = api.get(f"{URL}?{query}").json()["results"]
    assert [(a["issuer"], a["target_country"]) for a in results] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [("level=5", "level"), ("level=high", "level"), ("issuer=XX", "issuer"),
     ("target_country=Russia", "target_country")],
)  # fmt: skip
def test_bad_parameters_are_400(api, advisories, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_the_list_runs_constant_queries(api, db):
    def queries(n):
        for i in range(n):
            advisory = AdvisoryFactory(
                source=AdvisorySourceFactory(key=f"{n}-{i}"), target_country="RU"
            )
            AdvisoryRevision.objects.create(
                advisory=advisory,
                change="new",
                level=4,
                title="t",
                content_hash="0" * 64,
                recorded_at=timezone.now(),
            )
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL).status_code == 200
        return len(ctx)

    assert queries(2) == queries(20) == 2

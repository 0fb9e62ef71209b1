from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from routes.access.services import access_rule_record
from routes.entry.services import RuleTerms, entry_rule_record
from routes.places.models import Place
from routes.services import crossing_update_record
from routes.waysout.world import world_forget
from tests.factories import CrossingFactory

SINCE = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_world():
    world_forget()
    yield
    world_forget()


@pytest.fixture
def orenburg(db) -> Place:
    return Place.objects.create(
        slug="orenburg",
        name_en="Orenburg",
        name_ru="Оренбург",
        region_en="Orenburg region",
        region_ru="Оренбургская область",
        region_code="RU-ORE",
        latitude=51.7682,
        longitude=55.0970,
        airports=[],
        kind="regional-capital",
        source_url="https://en.wikipedia.org/wiki/Orenburg",
        source_date=date(2026, 1, 1),
    )


@pytest.fixture
def kazakh_crossing(db):
    """A road crossing into Kazakhstan, open on both sides, cars and buses, and
    Kazakhstan's rule: 90 days in 180, internal passport accepted."""
    crossing = CrossingFactory(
        slug="orsk-road", country="KZ", latitude=51.0, longitude=58.5
    )
    for side in ("ru", "neighbour"):
        crossing_update_record(
            crossing=crossing,
            side=side,
            status="open",
            source_kind="staff",
            source_url="https://example.org/open",
            observed_at=SINCE,
        )
        access_rule_record(
            crossing=crossing,
            side=side,
            valid_from=SINCE,
            modes=["bus", "car"],
            who="anyone",
            source_kind="staff",
            source_url="https://example.org/access",
        )
    entry_rule_record(
        destination="KZ",
        valid_from=SINCE,
        terms=RuleTerms(
            visa="free", free_days=90, period_days=180, internal_passport_ok=True
        ),
        source_kind="staff",
        source_url="https://example.org/kz",
    )
    crossing.refresh_from_db()
    return crossing

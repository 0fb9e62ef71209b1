from __future__ import annotations

from datetime import date

import pytest

from routes.entry.services import RuleTerms
from routes.places.models import Place
from routes.waysout.world import world_forget
from tests.support.borders import open_border


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
    return open_border(
        slug="orsk-road",
        country="KZ",
        latitude=51.0,
        longitude=58.5,
        terms=RuleTerms(
            visa="free", free_days=90, period_days=180, internal_passport_ok=True
        ),
    )

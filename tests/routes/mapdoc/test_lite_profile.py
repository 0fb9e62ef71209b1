"""/lite/ for one traveller: each crossing says whether it is open to them."""

from __future__ import annotations

import pytest

from routes.entry.services import RuleTerms
from routes.waysout.world import world_forget
from tests.support.borders import open_border

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_borders(db):
    """Upper Lars into Georgia (foreign passport needed) and a Kazakh road
    crossing (the internal passport is enough), both open on both sides."""
    for slug, country, internal_ok, name in (
        ("upper-lars", "GE", False, "Upper Lars"),
        ("kulunda", "KZ", True, "Kulunda"),
    ):
        open_border(
            slug=slug,
            country=country,
            name_en=name,
            terms=RuleTerms(visa="free", internal_passport_ok=internal_ok),
        )
    world_forget()
    yield
    world_forget()


def line_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</li>", start)]


def test_each_crossing_says_whether_it_is_open_to_the_traveller(client, two_borders):
    response = client.get("/lite/", {"document": "internal", "lang": "en"})
    page = response.content.decode()
    assert "not for you" in line_of(page, "Upper Lars")
    assert "Georgia needs a foreign passport." in line_of(page, "Upper Lars")
    assert "open to you" in line_of(page, "Kulunda")
    # One person's page is kept by no shared cache.
    assert "private" in response["Cache-Control"]


def test_only_open_hides_the_rest_and_no_profile_shows_everyone(client, two_borders):
    only = client.get("/lite/", {"document": "internal", "open": "1"}).content.decode()
    assert "Kulunda" in only and "Upper Lars" not in only
    everyone = client.get("/lite/")
    page = everyone.content.decode()
    assert "Kulunda" in page and "Upper Lars" in page
    assert "not for you" not in page
    assert "public" in everyone["Cache-Control"]


def test_a_profile_that_cannot_be_says_why_and_shows_everyone(client, two_borders):
    response = client.get(
        "/lite/", {"citizenship": "other", "document": "internal", "lang": "en"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The internal passport is a Russian citizen&#x27;s document." in page
    assert "not for you" not in page
    assert "private" in response["Cache-Control"]

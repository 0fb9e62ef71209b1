"""Real questions on the seeded, sourced data: who could leave where, and when."""

from __future__ import annotations

import pytest

from routes.waysout.world import world_forget
from tests.support.seeded import seed_copy

pytestmark = pytest.mark.django_db
URL = "/api/v1/ways-out/"
STORSKOG = "borisoglebsk"  # Storskog on the Norwegian side


@pytest.fixture
def seeded(db):
    seed_copy()
    world_forget()
    yield
    world_forget()


def ways(client, **params) -> dict[str, dict]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def land(answer: dict) -> dict[str, dict]:
    return {w["crossing"]["slug"]: w for w in answer["ways"] if w["kind"] == "land"}


def test_storskog_is_shut_to_a_murmansk_driver_with_a_schengen_visa_for_norways_reasons(
    client, seeded
):
    question = {
        "from": "murmansk",
        "citizenship": "RU",
        "document": "passport",
        "visa": "schengen",
        "mode": "car",
        "at": "2026-06-01T12:00:00Z",
    }
    storskog = land(ways(client, **question))[STORSKOG]
    assert storskog["open_to_you"] is False
    blocking = [r for r in storskog["reasons"] if r["blocks"]]
    assert blocking and all(r["source_url"].startswith("http") for r in blocking)
    assert any("Norway" in r["text"] for r in blocking), blocking
    codes = {r["code"] for r in blocking}
    assert {"schengen_refused", "car_refused_registered"} <= codes, codes
    # In Russian, the same answer names Norway in Russian.
    russian = land(ways(client, lang="ru", **question))[STORSKOG]
    assert any("Норвеги" in r["text"] for r in russian["reasons"] if r["blocks"])
    # Before Norway refused tourists (29 May 2024), and without the car, the
    # same traveller could cross there.
    earlier = land(ways(client, **{**question, "mode": "bus", "at": "2024-05-01"}))
    assert "schengen_refused" not in {r["code"] for r in earlier[STORSKOG]["reasons"]}


def test_from_novosibirsk_an_internal_passport_opens_kazakhstan_and_not_mongolia(
    client, seeded
):
    answer = ways(
        client, **{"from": "novosibirsk", "document": "internal", "at": "2026-12-01"}
    )
    by_country: dict[str, list[dict]] = {}
    for way in land(answer).values():
        by_country.setdefault(way["destination_country"], []).append(way)
    assert any(w["open_to_you"] for w in by_country["KZ"])
    assert by_country["MN"] and not any(w["open_to_you"] for w in by_country["MN"])
    for way in by_country["MN"]:
        assert any(
            r["code"] == "foreign_passport_needed" and r["blocks"]
            for r in way["reasons"]
        ), way["crossing"]["slug"]
    # The nearest open Kazakh crossing comes before any far one in the list.
    opened = [w for w in answer["ways"] if w["open_to_you"]]
    hours = [w["estimate"]["hours"] for w in opened]
    assert hours == sorted(hours)
    assert opened[0]["destination_country"] in ("KZ", "AM", "KG", "BY")


def test_on_25_september_2022_finland_let_schengen_visas_in_and_not_a_week_later(
    client, seeded
):
    question = {"from": "saint-petersburg", "visa": "schengen", "mode": "bus"}
    before = land(ways(client, at="2022-09-25T12:00:00Z", **question))
    after = land(ways(client, at="2022-10-05T12:00:00Z", **question))
    torfyanovka_before = {
        r["code"] for r in before["torfyanovka"]["reasons"] if r["blocks"]
    }
    torfyanovka_after = {
        r["code"] for r in after["torfyanovka"]["reasons"] if r["blocks"]
    }
    assert "schengen_refused" not in torfyanovka_before
    assert "schengen_refused" in torfyanovka_after
    # Estonia refused them from 19 September 2022 already.
    assert "schengen_refused" in {r["code"] for r in before["ivangorod"]["reasons"]}

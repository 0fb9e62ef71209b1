"""The Canadian index parser, on the recorded 2014 index (229 entries)."""

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from advisories.services import content_hash
from advisories.sources import canada
from advisories.sources.parsing import FeedFormatError
from tests.datafiles import CA_INDEX

RAW = CA_INDEX.read_bytes()


def with_data(**changes) -> bytes:
    document = json.loads(RAW)
    document["data"] = changes.pop("data", document["data"])
    document.update(changes)
    return json.dumps(document).encode()


def test_every_iso_country_in_the_index_is_parsed():
    batch = canada.parse(RAW)
    assert len(batch) == 226
    assert batch.skipped == [
        "PT-20 (Azores): not an ISO 3166 country code",
        "IC (Canary Islands): not an ISO 3166 country code",
        "XK (Kosovo): not an ISO 3166 country code",
    ]
    assert Counter(a.level for a in batch) == {1: 105, 2: 96, 3: 13, 4: 12}


def test_russia_in_2014_is_state_1_stored_as_level_2():
    russia = next(a for a in canada.parse(RAW) if a.country == "RU")
    assert russia.level == 2
    assert russia.level_text == (
        "Exercise a high degree of caution; see also regional advisories."
    )
    assert russia.title == "Russia"
    assert russia.summary == "An editorial change was made."
    assert russia.url == "https://travel.gc.ca/destinations/russia"
    # timestamp 1404933080 = 15:11:20 EDT, as the feed's friendly date says
    assert russia.published_at == datetime(2014, 7, 9, 19, 11, 20, tzinfo=UTC)


def test_state_3_keeps_canadas_upper_case_wording():
    levels = {a.country: (a.level, a.level_text) for a in canada.parse(RAW)}
    assert levels["AF"] == (4, "AVOID ALL TRAVEL")
    assert levels["FI"] == (1, "Exercise normal security precautions")


def test_the_generated_timestamp_does_not_change_any_advisory():
    # The live feed rewrites metadata.generated on every request.
    later = with_data(
        metadata={"generated": {"timestamp": 1999999999, "date": "2033-05-18"}}
    )
    before, after = canada.parse(RAW), canada.parse(later)
    assert [content_hash(a) for a in after] == [content_hash(a) for a in before]


def test_entries_of_the_wrong_type_are_skipped_with_the_reason():
    data = json.loads(RAW)["data"]
    data["RU"]["advisory-state"] = "1"
    data["GE"] = ["not", "an", "object"]
    data["FI"]["advisory-state"] = 7
    batch = canada.parse(with_data(data=data))
    assert len(batch) == 223
    assert "RU (Russia): advisory-state '1' is not 0–3" in batch.skipped
    assert "GE: entry is list, not an object" in batch.skipped
    assert "FI (Finland): advisory-state 7 is not 0–3" in batch.skipped


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty document"),
        (RAW[:1000], "not valid JSON"),
        (b'["RU"]', "expected dict, found list"),
        (with_data(data=[]), "data: expected dict, found list"),
        (with_data(data={}), "lists no countries"),
        (with_data(data={"RU": {"eng": {"name": 5}}}), "no usable entries"),
    ],
)
def test_malformed_indexes_raise_a_clear_error(raw, message):
    with pytest.raises(FeedFormatError, match=re.escape(message)):
        canada.parse(raw)

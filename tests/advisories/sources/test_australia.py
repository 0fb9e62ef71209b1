"""The Smartraveller export parser, on the recorded export (180 destinations)."""

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from advisories.sources import australia
from advisories.sources.parsing import FeedFormatError
from tests.datafiles import AU_EXPORT

RAW = AU_EXPORT.read_bytes()


@pytest.fixture(scope="module")
def parsed():
    return australia.parse(RAW)


def test_every_destination_with_an_iso_code_and_a_level_is_parsed(parsed):
    assert len(parsed) == 178
    assert parsed.skipped == [
        "Kosovo: no ISO code for this name",
        "No travel advice: advice level 'No travel advice'",
    ]
    assert Counter(a.level for a in parsed) == {1: 65, 2: 73, 3: 11, 4: 29}


def test_russia_is_do_not_travel_with_the_apostrophes_repaired(parsed):
    russia = next(a for a in parsed if a.country == "RU")
    assert russia.level == 4
    assert russia.level_text == "Do not travel"
    assert russia.title == "Russia"
    assert russia.url == "https://www.smartraveller.gov.au/destinations/europe/russia"
    # "Fri, 2026-02-20 16:46" in Canberra (AEDT, UTC+11)
    assert russia.published_at.astimezone(UTC) == datetime(
        2026, 2, 20, 5, 46, tzinfo=UTC
    )
    assert russia.summary.startswith(
        "We continue to advise: Do not travel to Russia due to the dangerous"
    )
    assert "If you&#x27;re in Russia, leave immediately" in russia.body
    assert "&amp;**" not in russia.body
    assert russia.body.startswith("<p>") and russia.body.endswith("</p>")


@pytest.mark.parametrize(
    ("title", "iso"),
    [
        ("Côte d'Ivoire (Ivory Coast)", "CI"),
        ("Türkiye", "TR"),
        ("Kyrgyz Republic", "KG"),
        ("North Korea (Democratic People's Republic of Korea)", "KP"),
        ("Federated States of Micronesia", "FM"),
        ("Macau", "MO"),
        ("The Gambia", "GM"),
        ("Georgia", "GE"),
    ],
)
def test_smartravellers_names_map_to_iso_codes(parsed, title, iso):
    assert next(a.country for a in parsed if a.title == title) == iso


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty document"),
        (RAW[:2000], "not valid JSON"),
        (b'{"title": "Russia"}', "expected list, found dict"),
        (b"[]", "lists no destinations"),
        (
            json.dumps([{"title": "Russia", "field_overall_advice_level": 4}]).encode(),
            "no usable entries",
        ),
    ],
)
def test_malformed_exports_raise_a_clear_error(raw, message):
    with pytest.raises(FeedFormatError, match=re.escape(message)):
        australia.parse(raw)

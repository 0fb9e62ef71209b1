"""The GOV.UK Content API parser, on GDS's schema examples (no Russia in them)."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from advisories.sources import uk_fcdo
from advisories.sources.catalogue import read_folder
from advisories.sources.parsing import FeedFormatError
from tests.datafiles import (
    DATA,
    UK_ALBANIA,
    UK_ALBANIA_NO_SUMMARY,
    UK_ALBANIA_WITHDRAWN,
    UK_ANTARCTICA,
    UK_INDEX,
    UK_TURKEY,
)


def turkey_with(**details) -> bytes:
    document = json.loads(UK_TURKEY.read_bytes())
    document["details"].update(details)
    return json.dumps(document).encode()


def test_turkey_document_gives_one_advisory_with_its_parts():
    (turkey,) = uk_fcdo.parse(UK_TURKEY.read_bytes())
    assert turkey.country == "TR"
    assert turkey.level == 1
    assert turkey.level_text == "No FCDO advice against travel"
    assert turkey.title == "Turkey travel advice"
    assert turkey.url == "https://www.gov.uk/foreign-travel-advice/turkey"
    assert turkey.published_at == datetime(2017, 2, 14, 15, 33, 43, tzinfo=UTC)
    assert turkey.summary.startswith(
        "Latest update: Summary – a series of earthquakes of magnitudes up to 5.3"
    )
    assert re.findall(r"<h2>(.*?)</h2>", turkey.body) == [
        "Summary",
        "Terrorism",
        "Safety and security",
        "Local laws and customs",
        "Entry requirements",
        "Health",
        "Natural disasters",
        "Money",
        "Travel advice help and support",
    ]


def test_albania_with_and_without_its_summary_part():
    (full,) = uk_fcdo.parse(UK_ALBANIA.read_bytes())
    (partial,) = uk_fcdo.parse(UK_ALBANIA_NO_SUMMARY.read_bytes())
    assert full.country == partial.country == "AL"
    assert full.body.startswith("<h2>Summary</h2>")
    assert partial.body.startswith("<h2>Safety and security</h2>")


def test_a_withdrawn_document_is_skipped():
    batch = uk_fcdo.parse(UK_ALBANIA_WITHDRAWN.read_bytes())
    assert list(batch) == []
    assert batch.skipped == ["Albania: withdrawn"]


def test_a_document_without_parts_has_an_empty_body():
    (antarctica,) = uk_fcdo.parse(UK_ANTARCTICA.read_bytes())
    assert antarctica.country == "AQ"
    assert antarctica.body == ""
    assert antarctica.published_at == datetime(
        2015, 4, 28, 17, 11, 23, tzinfo=timezone(timedelta(hours=1))
    )


@pytest.mark.parametrize(
    ("alert_status", "level", "wording"),
    [
        ([], 1, "No FCDO advice against travel"),
        (
            ["avoid_all_but_essential_travel_to_parts"],
            2,
            "FCDO advises against all but essential travel to parts of the country",
        ),
        (
            ["avoid_all_travel_to_parts"],
            2,
            "FCDO advises against all travel to parts of the country",
        ),
        (
            ["avoid_all_but_essential_travel_to_whole_country"],
            3,
            "FCDO advises against all but essential travel to the whole country",
        ),
        (
            ["avoid_all_travel_to_parts", "avoid_all_travel_to_whole_country"],
            4,
            "FCDO advises against all travel to the whole country; "
            "FCDO advises against all travel to parts of the country",
        ),
    ],
)
def test_alert_status_sets_the_level_and_keeps_the_fcdo_wording(
    alert_status, level, wording
):
    (advisory,) = uk_fcdo.parse(turkey_with(alert_status=alert_status))
    assert (advisory.level, advisory.level_text) == (level, wording)


def test_an_unknown_alert_status_is_skipped_not_guessed():
    batch = uk_fcdo.parse(turkey_with(alert_status=["avoid_everything_new"]))
    assert list(batch) == []
    assert batch.skipped == ["Turkey: unknown alert_status ['avoid_everything_new']"]


def test_the_index_lists_each_country_with_its_update_time():
    entries = uk_fcdo.parse_index(UK_INDEX.read_bytes())
    assert [e.slug for e in entries] == [
        "afghanistan",
        "austria",
        "finland",
        "india",
        "malaysia",
        "sao-tome-and-principe",
        "spain",
    ]
    assert entries[5].name == "São Tomé and Principe"
    assert entries[5].public_updated_at == datetime(2015, 12, 8, 17, 2, 23, tzinfo=UTC)
    assert (
        uk_fcdo.document_url(
            "https://www.gov.uk/api/content/foreign-travel-advice", entries[0]
        )
        == "https://www.gov.uk/api/content/foreign-travel-advice/afghanistan"
    )


def test_the_samples_folder_gives_three_countries_with_the_later_albania():
    batch = read_folder(DATA, "uk_fcdo")
    by_country = {a.country: a for a in batch}
    assert sorted(by_country) == ["AL", "AQ", "TR"]
    # full-country.json sorts after full-country-without-summary.json: it wins.
    assert by_country["AL"].body.startswith("<h2>Summary</h2>")
    assert batch.skipped == ["Albania: withdrawn"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty document"),
        (UK_TURKEY.read_bytes()[:5000], "not valid JSON"),
        (b"[]", "expected dict, found list"),
        (UK_INDEX.read_bytes(), "not 'travel_advice'"),
        (
            turkey_with(alert_status="avoid_all_travel_to_whole_country"),
            "expected list",
        ),
        (turkey_with(parts={"summary": "x"}), "parts: expected list"),
        (turkey_with(change_description=["x"]), "expected str"),
    ],
)
def test_malformed_country_documents_raise_a_clear_error(raw, message):
    with pytest.raises(FeedFormatError, match=re.escape(message)):
        uk_fcdo.parse(raw)


def test_a_malformed_index_raises_a_clear_error():
    index = json.loads(UK_INDEX.read_bytes())
    index["links"]["children"] = {"afghanistan": {}}
    with pytest.raises(FeedFormatError, match="links.children: expected list"):
        uk_fcdo.parse_index(json.dumps(index).encode())
    with pytest.raises(FeedFormatError, match="not 'travel_advice_index'"):
        uk_fcdo.parse_index(UK_TURKEY.read_bytes())

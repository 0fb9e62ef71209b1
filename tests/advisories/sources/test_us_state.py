"""The US State Department RSS parser, on the recorded feed (69 items)."""

import re
from datetime import UTC, datetime

import pytest

from advisories.sources import us_state
from advisories.sources.countries import country_from_fips, country_from_name
from advisories.sources.parsing import FeedFormatError
from tests.datafiles import US_RSS

RAW = US_RSS.read_bytes()
ITEM = re.compile(rb"<item>.*?</item>", re.S)


@pytest.fixture(scope="module")
def parsed():
    return us_state.parse(RAW)


def by_title(parsed, country_name):
    return next(a for a in parsed if a.title.startswith(country_name + " "))


def feed_with(*items: bytes) -> bytes:
    """The recorded feed's header and tail around the given <item>s."""
    first, last = ITEM.search(RAW).start(), list(ITEM.finditer(RAW))[-1].end()
    return RAW[:first] + b"\n".join(items) + RAW[last:]


def russia_item_as(tag: str, name: str) -> bytes:
    russia = next(m.group(0) for m in ITEM.finditer(RAW) if b">RS<" in m.group(0))
    return russia.replace(
        b'domain="Country-Tag">RS<', f'domain="Country-Tag">{tag}<'.encode()
    ).replace(b"<title>Russia -", f"<title>{name} -".encode())


def test_every_item_of_the_recorded_feed_is_parsed(parsed):
    assert len(parsed) == 69
    assert parsed.skipped == []
    assert {a.level for a in parsed} == {1, 2, 3, 4}
    assert sum(a.level == 4 for a in parsed) == 20
    assert sum(a.level == 3 for a in parsed) == 22


def test_russia_is_level_4_with_the_departments_wording(parsed):
    russia = next(a for a in parsed if a.country == "RU")
    assert russia.level == 4
    assert russia.level_text == "Level 4: Do Not Travel"
    assert russia.title == "Russia - Level 4: Do Not Travel"
    assert russia.url == (
        "https://travel.state.gov/content/travel/en/traveladvisories/"
        "traveladvisories/russia-travel-advisory.html"
    )
    assert russia.published_at == datetime(2025, 5, 8, tzinfo=UTC)
    assert russia.summary.startswith(
        "Reissued after periodic review. Do not travel to Russia due to:"
    )
    assert "<p>" in russia.body


@pytest.mark.parametrize(
    ("name", "iso", "level"),
    [
        ("Russia", "RU", 4),
        ("Belarus", "BY", 4),
        ("Georgia", "GE", 1),
        ("Kazakhstan", "KZ", 1),
        ("Mongolia", "MN", 1),
        ("Finland", "FI", 1),
        ("Estonia", "EE", 1),
        ("Latvia", "LV", 1),
        ("Lithuania", "LT", 1),
        ("Norway", "NO", 1),
        ("Poland", "PL", 1),
        ("Azerbaijan", "AZ", 2),
        ("Armenia", "AM", 2),
        ("Turkey", "TR", 2),
        ("Ukraine", "UA", 4),
    ],
)
def test_fips_country_tags_of_russias_neighbours_map_to_iso(parsed, name, iso, level):
    advisory = by_title(parsed, name)
    assert (advisory.country, advisory.level) == (iso, level)


@pytest.mark.parametrize(
    ("tag", "name", "iso"),
    [
        ("AE", "United Arab Emirates", "AE"),
        ("RI", "Serbia", "RS"),
        ("UZ", "Uzbekistan", "UZ"),
        ("KG", "Kyrgyzstan", "KG"),
    ],
)
def test_tags_missing_from_the_sample_map_too(tag, name, iso):
    # The trimmed sample has no item for these; a real item with only its tag and
    # title changed stands in. Serbia's FIPS code is RI: ISO RS would be wrong.
    (advisory,) = us_state.parse(feed_with(russia_item_as(tag, name)))
    assert advisory.country == iso


def test_russias_fips_code_is_not_read_as_serbias_iso_code():
    assert country_from_fips("RS") == "RU"
    assert country_from_fips("RI") == "RS"
    assert country_from_fips("BO") == "BY"
    assert country_from_fips("KV") is None  # Kosovo has no ISO code


def test_every_tag_in_the_sample_agrees_with_the_country_in_its_title():
    checked = 0
    for match in ITEM.finditer(RAW):
        item = match.group(0).decode()
        tag = re.search(r'domain="Country-Tag">([A-Z]{2})<', item)
        title = re.search(r"<title>(.*?)(?: Travel Advisory)? - Level", item)
        if tag is None:
            continue
        assert country_from_fips(tag.group(1)) == country_from_name(title.group(1)), (
            tag.group(1),
            title.group(1),
        )
        checked += 1
    assert checked == 67


def test_items_without_a_country_tag_are_placed_by_their_title(parsed):
    assert by_title(parsed, "Hong Kong").country == "HK"
    assert by_title(parsed, "Macau").country == "MO"
    assert by_title(parsed, "Burma (Myanmar)").country == "MM"
    assert by_title(parsed, "Mexico Travel Advisory").country == "MX"


def test_an_unknown_tag_and_title_is_skipped_with_a_reason():
    batch = us_state.parse(
        feed_with(russia_item_as("KV", "Kosovo"), russia_item_as("RS", "Russia"))
    )
    assert [a.country for a in batch] == ["RU"]
    assert batch.skipped == [
        "Kosovo - Level 4: Do Not Travel: Country-Tag 'KV' has no ISO code"
    ]


def test_fetched_html_is_sanitised():
    hostile = russia_item_as("RS", "Russia").replace(
        b"<![CDATA[",
        b'<![CDATA[<script>alert(1)</script><a href="javascript:alert(2)" '
        b'onclick="steal()">x</a><img src="https://tracker.example/p.gif">',
    )
    (advisory,) = us_state.parse(feed_with(hostile))
    assert "script" not in advisory.body
    assert "javascript:" not in advisory.body
    assert "onclick" not in advisory.body
    assert "<img" not in advisory.body
    assert "alert(1)" not in advisory.summary


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (RAW[: len(RAW) // 2], "not well-formed XML"),
        (b"", "empty document"),
        (b"   \n", "empty document"),
        (b'<rss version="2.0"><channel><title>x</title></channel></rss>', "no items"),
        (b"<html><body>Service unavailable</body></html>", "expected <rss><channel>"),
        (b'{"data": []}', "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;">]><rss><channel>&lol2;</channel></rss>',
            "refused unsafe XML",
        ),
    ],
)
def test_malformed_feeds_raise_a_clear_error(raw, message):
    with pytest.raises(FeedFormatError, match=re.escape(message)):
        us_state.parse(raw)


def test_a_tag_that_contradicts_the_title_yields_to_the_title():
    # BY is Burundi in FIPS but Belarus in ISO: if the feed ever tagged Belarus
    # with its ISO code, the title keeps the advisory on the right country.
    belarus, burundi = us_state.parse(
        feed_with(russia_item_as("BY", "Belarus"), russia_item_as("BY", "Burundi"))
    )
    assert (belarus.country, burundi.country) == ("BY", "BI")

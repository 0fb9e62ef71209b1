"""/feeds/advisories.atom: governments' advice as it changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advisories.models import AdvisoryRevision
from tests.factories import AdvisoryFactory, AdvisorySourceFactory

pytestmark = pytest.mark.django_db

URL = "/feeds/advisories.atom"


@pytest.fixture
def advice():
    """The US raises Russia to level 4; the UK's advice on Georgia is new."""
    us = AdvisoryFactory()
    uk = AdvisoryFactory(
        # The source as the data migration ships it, names and all.
        source=AdvisorySourceFactory(key="uk-fcdo", issuer="GB"),
        target_country="GE",
        level=2,
        level_text="See our travel advice before travelling",
        title="Georgia travel advice",
        summary="Avoid the border areas with <script>Abkhazia</script>.",
        url="https://www.gov.uk/foreign-travel-advice/georgia",
    )
    now = timezone.now()
    for advisory, hours, change, level in [
        (us, 72, "new", 3),
        (us, 48, "level_up", 4),
        (uk, 24, "new", 2),
    ]:
        AdvisoryRevision.objects.create(
            advisory=advisory,
            change=change,
            level=level,
            level_text=advisory.level_text,
            title=advisory.title,
            summary=advisory.summary,
            content_hash=f"{hours:064x}",
            recorded_at=now - timedelta(hours=hours),
        )
    return us, uk


def test_an_empty_advisory_feed_is_valid(fetch, db):
    _response, feed = fetch(URL)
    assert feed.feed.title == "ExitWatch: travel advisories"
    assert feed.entries == []


def test_advisory_changes_come_newest_first_with_their_levels(fetch, advice):
    _response, feed = fetch(URL)
    assert [e.title for e in feed.entries] == [
        "UK Foreign, Commonwealth & Development Office · Georgia: New",
        "US Department of State · Russia: Level 3 → 4",
        "US Department of State · Russia: New",
    ]
    raised = feed.entries[1]
    assert "Level raised</strong>: Level 4 of 4 — Do not travel" in raised.summary
    assert "Before: Level 3 of 4 — Reconsider travel" in raised.summary
    assert raised.link == advice[0].url
    assert raised.author == "US Department of State"
    assert raised.id.startswith("tag:testserver,2026:advisory-revision:")
    assert len({e.id for e in feed.entries}) == 3


def test_an_advisory_entry_quotes_the_issuer_as_text(fetch, advice):
    response, feed = fetch(URL)
    assert "&lt;script&gt;Abkhazia&lt;/script&gt;" in feed.entries[0].summary
    assert b"<script>" not in response.content


def test_the_advisory_feed_is_in_russian_when_asked(fetch, advice):
    _response, feed = fetch(URL + "?lang=ru")
    assert feed.entries[0].title == "МИД Великобритании (FCDO) · Грузия: Новая"
    assert feed.entries[1].title == (
        "Государственный департамент США · Россия: Уровень 3 → 4"
    )
    assert "Уровень 4 из 4" in feed.entries[1].summary


def test_the_advisory_feed_costs_two_queries(client, advice, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200

"""Refreshing advisories: idempotent sync, revisions, source health, failures."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from advisories.refresh import advisory_source_load_folder, advisory_source_refresh
from advisories.services import advisories_sync
from advisories.sources import us_state
from exitwatch.lib.snapshot import snapshot_version
from tests.datafiles import DATA, US_RSS
from tests.support.feedserver import SAMPLE_COUNTS, Route

pytestmark = pytest.mark.django_db

Change = AdvisoryRevision.Change


@pytest.fixture
def us_batch():
    return us_state.parse(US_RSS.read_bytes())


def refresh(source):
    source.refresh_from_db()
    return advisory_source_refresh(source=source, run_id="test-run")


def test_a_first_sync_stores_every_advisory_with_a_new_revision(sources, us_batch):
    result = advisories_sync(source=sources["us-state"], items=us_batch)
    assert (result.seen, result.created, result.updated) == (69, 69, 0)
    assert Advisory.objects.filter(source=sources["us-state"]).count() == 69
    assert set(AdvisoryRevision.objects.values_list("change", flat=True)) == {
        Change.NEW
    }
    russia = Advisory.objects.get(source=sources["us-state"], target_country="RU")
    assert (russia.level, russia.level_text) == (4, "Level 4: Do Not Travel")


def test_a_sync_costs_a_few_queries_whatever_the_size_of_the_feed(
    sources, us_batch, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        advisories_sync(source=sources["us-state"], items=us_batch)
    with django_assert_max_num_queries(4):
        advisories_sync(source=sources["us-state"], items=us_batch)


def test_syncing_the_same_feed_twice_stores_nothing_new(sources, us_batch):
    advisories_sync(source=sources["us-state"], items=us_batch)
    before = list(Advisory.objects.values_list("pk", "content_hash", "changed_at"))
    later = timezone.now() + timedelta(minutes=30)
    result = advisories_sync(source=sources["us-state"], items=us_batch, now=later)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 69)
    assert AdvisoryRevision.objects.count() == 69
    assert (
        list(Advisory.objects.values_list("pk", "content_hash", "changed_at")) == before
    )
    # Only the confirmation time moves.
    assert set(Advisory.objects.values_list("fetched_at", flat=True)) == {later}


def test_level_changes_and_text_changes_are_recorded_as_revisions(sources, us_batch):
    source = sources["us-state"]
    advisories_sync(source=source, items=us_batch)
    georgia = next(a for a in us_batch if a.country == "GE")
    advisories_sync(source=source, items=[dataclasses.replace(georgia, level=2)])
    advisories_sync(source=source, items=[dataclasses.replace(georgia, level=1)])
    advisories_sync(
        source=source, items=[dataclasses.replace(georgia, summary="Border reopened.")]
    )
    stored = Advisory.objects.get(source=source, target_country="GE")
    history = list(stored.revisions.order_by("id").values_list("change", "level"))
    assert history == [
        (Change.NEW, 1),
        (Change.LEVEL_UP, 2),
        (Change.LEVEL_DOWN, 1),
        (Change.CONTENT, 1),
    ]
    assert stored.summary == "Border reopened."


def test_the_map_snapshot_moves_only_when_something_changed(
    sources, us_batch, django_capture_on_commit_callbacks
):
    source = sources["us-state"]
    with django_capture_on_commit_callbacks(execute=True):
        advisories_sync(source=source, items=us_batch)
    version = snapshot_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        advisories_sync(source=source, items=us_batch)
    assert callbacks == [] and snapshot_version() == version
    russia = next(a for a in us_batch if a.country == "RU")
    with django_capture_on_commit_callbacks(execute=True):
        advisories_sync(source=source, items=[dataclasses.replace(russia, level=3)])
    assert snapshot_version() != version


def test_refresh_from_the_feed_records_health_and_then_gets_a_304(served_sources):
    source = served_sources["us-state"]
    first = refresh(source)
    source.refresh_from_db()
    assert first.status == "ok" and first.sync.created == 69
    assert (source.items_seen, source.items_changed, source.etag) == (69, 69, '"us-1"')
    assert source.last_success_at is not None and not source.is_overdue()
    second = refresh(source)
    assert second.status == "not_modified"
    assert AdvisoryRevision.objects.count() == 69


def test_canadas_changing_timestamp_does_not_look_like_a_change(served_sources):
    source = served_sources["ca-travel"]
    assert refresh(source).sync.created == 226
    again = refresh(source)
    assert (again.status, again.sync.unchanged, again.sync.changed) == ("ok", 226, 0)
    assert AdvisoryRevision.objects.count() == 226


def test_uk_refresh_reads_the_index_then_only_changed_country_documents(
    served_sources, feed_server
):
    source = served_sources["uk-fcdo"]
    first = refresh(source)
    assert (first.status, first.sync.created) == ("ok", 3)
    assert sorted(
        Advisory.objects.filter(source=source).values_list("target_country", flat=True)
    ) == ["AL", "AQ", "TR"]
    assert refresh(source).status == "not_modified"  # index ETag
    AdvisorySource.objects.filter(pk=source.pk).update(etag="")
    third = refresh(source)
    assert (third.sync.seen, third.sync.unchanged, third.sync.changed) == (3, 3, 0)
    # The index said nothing changed, so no country document was asked for again.
    assert len(feed_server.hits("/api/content/foreign-travel-advice/turkey")) == 1


def test_a_uk_country_document_that_fails_keeps_the_others(served_sources, feed_server):
    feed_server.add("/api/content/foreign-travel-advice/turkey", Route(status=404))
    source = served_sources["uk-fcdo"]
    outcome = refresh(source)
    source.refresh_from_db()
    assert outcome.status == "ok" and outcome.sync.created == 2
    assert outcome.error == (
        "1 country documents failed: turkey: HTTP 404 from "
        + feed_server.url("/api/content/foreign-travel-advice/turkey")
    )
    assert source.last_error == outcome.error and source.is_failing
    assert source.etag == ""  # so the next run asks for the index again


def test_a_failing_source_keeps_its_last_good_advisories(served_sources, feed_server):
    source = served_sources["au-smartraveller"]
    refresh(source)
    good = dict(Advisory.objects.values_list("target_country", "content_hash"))
    source.refresh_from_db()
    succeeded_at = source.last_success_at
    feed_server.add("/destinations-export", Route(b"upstream down", status=502))
    AdvisorySource.objects.filter(pk=source.pk).update(etag="")
    outcome = refresh(source)
    source.refresh_from_db()
    assert (outcome.status, outcome.transient) == ("failed", True)
    assert source.last_error == f"HTTP 502 from {source.url}"
    assert source.last_success_at == succeeded_at and source.is_failing
    assert dict(Advisory.objects.values_list("target_country", "content_hash")) == good


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            Route(b'<?xml version="1.0"?><rss><channel><item><title>Ru'),
            "not well-formed",
        ),
        (Route(b""), "empty document"),
        (Route(b'<rss version="2.0"><channel></channel></rss>'), "no items"),
        (Route(stream_bytes=50 * 1024 * 1024), "larger than 10 MB; refused"),
    ],
)
def test_malformed_or_huge_answers_write_nothing(
    served_sources, feed_server, route, message
):
    feed_server.add("/_res/rss/TAsTWs.xml", route)
    source = served_sources["us-state"]
    outcome = refresh(source)
    source.refresh_from_db()
    assert outcome.status == "failed" and not outcome.transient
    assert message in source.last_error
    assert Advisory.objects.count() == 0 and AdvisoryRevision.objects.count() == 0


def test_a_running_refresh_blocks_a_second_one(served_sources):
    from exitwatch.lib.jobs import lock_acquire, lock_release

    source = served_sources["us-state"]
    assert lock_acquire("advisory-source:us-state", owner="other-run", ttl=60)
    try:
        assert refresh(source).status == "busy"
    finally:
        lock_release("advisory-source:us-state", owner="other-run")
    assert Advisory.objects.count() == 0
    assert refresh(source).status == "ok"


def test_loading_the_samples_folder_twice_adds_nothing(sources):
    counts = {}
    for key, source in sources.items():
        outcome = advisory_source_load_folder(
            source=source, directory=DATA, run_id="test-run"
        )
        counts[key] = outcome.sync.created
    assert counts == SAMPLE_COUNTS
    revisions = AdvisoryRevision.objects.count()
    for source in sources.values():
        again = advisory_source_load_folder(
            source=source, directory=DATA, run_id="test-run"
        )
        assert again.sync.changed == 0
    assert AdvisoryRevision.objects.count() == revisions == sum(SAMPLE_COUNTS.values())
    # Russia from three issuers; the UK examples have no Russia.
    russia = dict(
        Advisory.objects.filter(target_country="RU").values_list("source__key", "level")
    )
    assert russia == {"us-state": 4, "ca-travel": 2, "au-smartraveller": 4}


def test_a_source_without_success_for_12_hours_is_overdue(sources):
    now = timezone.now()
    source = sources["us-state"]
    assert source.is_overdue(now)  # never fetched
    source.last_success_at = now - timedelta(hours=11, minutes=59)
    assert not source.is_overdue(now)
    source.last_success_at = now - timedelta(hours=12, minutes=1)
    assert source.is_overdue(now)
    source.enabled = False
    assert not source.is_overdue(now)
    AdvisorySource.objects.update(last_success_at=now - timedelta(hours=1))
    AdvisorySource.objects.filter(key="uk-fcdo").update(
        last_success_at=now - timedelta(hours=13)
    )
    assert list(AdvisorySource.objects.overdue(now).values_list("key", flat=True)) == [
        "uk-fcdo"
    ]


def test_an_unexpected_error_is_shown_on_the_source_and_raised(
    served_sources, monkeypatch
):
    def broken_parser(raw):
        raise KeyError("a bug")

    monkeypatch.setattr("advisories.sources.us_state.parse", broken_parser)
    with pytest.raises(KeyError):
        refresh(served_sources["us-state"])
    source = AdvisorySource.objects.get(key="us-state")
    assert source.last_error == "unexpected error: KeyError('a bug')"

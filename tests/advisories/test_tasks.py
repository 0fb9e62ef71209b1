"""The advisory tasks, run in-process: retries only on transient errors."""

import uuid

import pytest

from advisories.models import Advisory, AdvisorySource
from advisories.tasks import (
    SourceTemporarilyUnavailable,
    refresh_advisories,
    refresh_advisory_source,
)
from exitwatch.lib import jobs
from tests.support.feedserver import SAMPLE_COUNTS, Route
from tests.support.services import require_services

pytestmark = pytest.mark.django_db
US_PATH = "/_res/rss/TAsTWs.xml"


@pytest.fixture
def failures_as_results(eager_celery):
    # Eager retries re-apply the task with the app's propagation setting.
    eager_celery.conf.task_eager_propagates = False
    yield
    eager_celery.conf.task_eager_propagates = True


def test_a_server_error_is_retried_with_backoff_then_given_up(
    served_sources, feed_server, failures_as_results
):
    feed_server.add(US_PATH, Route(b"", status=503))
    result = refresh_advisory_source.apply(args=("us-state",))
    assert result.state == "FAILURE"
    assert isinstance(result.result, SourceTemporarilyUnavailable)
    # The first attempt and max_retries=3 retries (run at once when eager).
    assert len(feed_server.hits(US_PATH)) == 4
    source = AdvisorySource.objects.get(key="us-state")
    assert source.last_error == f"HTTP 503 from {source.url}"


@pytest.mark.parametrize(
    "route", [Route(b"", status=404), Route(b"<rss><channel>")], ids=["404", "bad"]
)
def test_errors_that_asking_again_cannot_fix_are_not_retried(
    served_sources, feed_server, route
):
    feed_server.add(US_PATH, route)
    result = refresh_advisory_source.apply(args=("us-state",)).get()
    assert result == {"source": "us-state", "status": "failed", "seen": 0, "changed": 0}
    assert len(feed_server.hits(US_PATH)) == 1


def test_a_disabled_or_deleted_source_is_not_fetched(served_sources, feed_server):
    AdvisorySource.objects.filter(key="us-state").update(enabled=False)
    assert refresh_advisory_source.apply(args=("us-state",)).get() == {
        "source": "us-state",
        "status": "gone",
    }
    assert refresh_advisory_source.apply(args=("no-such",)).get()["status"] == "gone"
    assert feed_server.hits(US_PATH) == []


def test_the_periodic_task_refreshes_every_enabled_source(served_sources, eager_celery):
    assert sorted(refresh_advisories.apply().get()) == sorted(SAMPLE_COUNTS)
    counts = {
        key: Advisory.objects.filter(source__key=key).count() for key in SAMPLE_COUNTS
    }
    assert counts == SAMPLE_COUNTS


def test_a_task_abandoned_after_its_worker_died_says_so_on_the_source(sources):
    refresh_advisory_source.on_gave_up("gave up after 3 deliveries", ("uk-fcdo",), {})
    source = AdvisorySource.objects.get(key="uk-fcdo")
    assert source.last_error == "gave up after 3 deliveries" and source.is_failing


def test_a_task_delivered_too_often_is_not_run_again(sources, feed_server):
    require_services(postgres=False)
    feed_server.add(US_PATH, Route(b"", status=404))
    AdvisorySource.objects.filter(key="us-state").update(url=feed_server.url(US_PATH))
    task_id = str(uuid.uuid4())

    def deliver(deaths_before: int):
        # As a worker delivers it (not eager, same id, first attempt) after
        # `deaths_before` deliveries whose worker died mid-task.
        jobs._client().set(jobs._key("deliveries", f"{task_id}:0"), deaths_before)
        refresh_advisory_source.push_request(id=task_id, retries=0, is_eager=False)
        try:
            return refresh_advisory_source("us-state")
        finally:
            refresh_advisory_source.pop_request()

    assert deliver(2)["status"] == "failed"  # the third delivery still runs
    assert deliver(3) is None  # the fourth does not
    assert len(feed_server.hits(US_PATH)) == 1
    source = AdvisorySource.objects.get(key="us-state")
    assert source.last_error == (
        f"gave up on advisories.tasks.refresh_advisory_source[{task_id}] after 3 "
        "deliveries: its worker died each time"
    )


def test_the_periodic_task_skips_sources_polled_recently(served_sources, eager_celery):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    AdvisorySource.objects.filter(key="us-state").update(
        last_attempt_at=now - timedelta(minutes=5)
    )
    AdvisorySource.objects.filter(key="uk-fcdo").update(
        last_attempt_at=now - timedelta(minutes=29)  # beat's own jitter: still due
    )
    AdvisorySource.objects.filter(key="ca-travel").update(enabled=False)
    assert sorted(refresh_advisories.apply().get()) == ["au-smartraveller", "uk-fcdo"]


def test_a_refresh_past_its_soft_time_limit_is_recorded_not_retried(
    sources, monkeypatch, settings
):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("advisories.tasks.advisory_source_refresh", too_slow)
    result = refresh_advisory_source.apply(args=("uk-fcdo",)).get()
    assert result["status"] == "failed"
    source = AdvisorySource.objects.get(key="uk-fcdo")
    limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert source.last_error == f"gave up: the refresh took longer than {limit} s"

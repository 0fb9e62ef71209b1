"""manage.py refresh_advisories, as a newcomer without Redis runs it."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from advisories.models import Advisory, AdvisoryRevision, AdvisorySource
from tests.datafiles import DATA
from tests.support.feedserver import SAMPLE_COUNTS, Route

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("refresh_advisories", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_from_dir_fills_the_four_governments_and_a_second_run_adds_nothing(sources):
    out, _ = run("--from-dir", str(DATA))
    assert out.splitlines() == [
        "au-smartraveller: 178 advisories seen, 178 new, 0 changed, 0 unchanged, "
        "2 entries skipped",
        "ca-travel: 226 advisories seen, 226 new, 0 changed, 0 unchanged, "
        "3 entries skipped",
        "uk-fcdo: 3 advisories seen, 3 new, 0 changed, 0 unchanged, 1 entries skipped",
        "us-state: 69 advisories seen, 69 new, 0 changed, 0 unchanged, "
        "0 entries skipped",
    ]
    revisions = AdvisoryRevision.objects.count()
    out, _ = run("--from-dir", str(DATA))
    assert all(" 0 new, 0 changed" in line for line in out.splitlines())
    assert AdvisoryRevision.objects.count() == revisions
    for key, count in SAMPLE_COUNTS.items():
        assert Advisory.objects.filter(source__key=key).count() == count


def test_a_folder_missing_a_feed_fails_that_source_only(sources, tmp_path):
    shutil.copytree(
        DATA / "us-state-travel-advisories", tmp_path / "us-state-travel-advisories"
    )
    with pytest.raises(CommandError, match="^3 of 4 sources failed$"):
        run("--from-dir", str(tmp_path))
    assert Advisory.objects.filter(source__key="us-state").count() == 69
    assert Advisory.objects.exclude(source__key="us-state").count() == 0


def test_one_source_from_the_network(served_sources):
    out, _ = run("--source", "us-state")
    assert out == (
        "us-state: 69 advisories seen, 69 new, 0 changed, 0 unchanged, "
        "0 entries skipped\n"
    )


def test_a_failing_feed_exits_non_zero_with_its_reason(served_sources, feed_server):
    feed_server.add("/_res/rss/TAsTWs.xml", Route(b"", status=500))
    with pytest.raises(CommandError, match="^1 of 1 sources failed$"):
        out, err = run("--source", "us-state")
    source = AdvisorySource.objects.get(key="us-state")
    assert source.last_error == f"HTTP 500 from {source.url}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nope"], "unknown source nope"),
        (
            ["--from-dir", "/no/such/folder"],
            "--from-dir /no/such/folder: no such folder",
        ),
        (
            ["--enqueue", "--from-dir", "."],
            "--enqueue and --from-dir cannot be combined",
        ),
    ],
)
def test_bad_arguments_are_one_clear_line(sources, args, message):
    # (--enqueue with a broker down is covered by tests/integration.)
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_enqueue_without_a_broker_says_what_to_do(sources, settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="--enqueue needs REDIS_URL"):
        run("--enqueue")


def test_a_load_from_a_folder_is_a_success_in_source_health(client, sources):
    AdvisorySource.objects.filter(key="us-state").update(
        etag='"from-the-feed"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT"
    )
    run("--from-dir", str(DATA))
    rows = {row["key"]: row for row in client.get("/api/v1/sources/").json()}
    assert {key: rows[key]["overdue"] for key in SAMPLE_COUNTS} == dict.fromkeys(
        SAMPLE_COUNTS, False
    )
    us = AdvisorySource.objects.get(key="us-state")
    assert us.last_success_at is not None and us.last_attempt_at == us.last_success_at
    assert (us.items_seen, us.items_changed, us.last_error) == (69, 69, "")
    # The validators were the feed's last answer's; the files replaced it.
    assert (us.etag, us.last_modified) == ("", "")


def test_a_folder_without_a_feed_is_that_sources_last_error(sources, tmp_path):
    shutil.copytree(
        DATA / "us-state-travel-advisories", tmp_path / "us-state-travel-advisories"
    )
    with pytest.raises(CommandError):
        run("--from-dir", str(tmp_path))
    health = {
        s.key: (s.last_success_at is not None, bool(s.last_error))
        for s in AdvisorySource.objects.all()
    }
    assert health == {
        "us-state": (True, False),
        "uk-fcdo": (False, True),
        "ca-travel": (False, True),
        "au-smartraveller": (False, True),
    }

"""manage.py load_checkpoints and refresh_checkpoints, the task, and the source's
health where staff and the API read it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from exitwatch.lib.fetching import FetchError, FetchResult
from routes.checkpoints.models import OfficialListSource
from routes.checkpoints.tasks import refresh_checkpoints
from routes.models import BorderCrossing, CrossingUpdate
from tests.datafiles import ROSGRANSTROY_DIR, ROSGRANSTROY_JUNE

pytestmark = pytest.mark.django_db


def load(path):
    out = StringIO()
    call_command("load_checkpoints", "--from", str(path), stdout=out)
    return out.getvalue()


def test_loading_the_folder_counts_as_a_success_of_the_source(api):
    out = load(ROSGRANSTROY_DIR)

    assert out.startswith("rosgranstroy: 385 checkpoints, 124 land crossings abroad")
    assert "124 crossings added, 27 Russian sides changed" in out
    source = OfficialListSource.objects.get(key="rosgranstroy")
    assert source.last_success_at is not None and not source.is_failing
    assert (source.items_seen, source.last_error) == (385, "")
    rows = api.get("/api/v1/sources/").json()
    mine = next(row for row in rows if row["kind"] == "checkpoints")
    assert (mine["key"], mine["failing"], mine["overdue"]) == (
        "rosgranstroy",
        False,
        False,
    )


def test_loading_it_again_writes_nothing():
    load(ROSGRANSTROY_DIR)
    updates = CrossingUpdate.objects.count()
    out = load(ROSGRANSTROY_JUNE)
    assert "0 crossings added, 0 Russian sides changed, 124 unchanged" in out
    assert CrossingUpdate.objects.count() == updates


def test_a_bad_file_exits_non_zero_with_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "map_data-2026-01-24.json").write_bytes(ROSGRANSTROY_JUNE.read_bytes())
    (tmp_path / "map_data-2026-06-08.json").write_text("<html>502 Bad Gateway</html>")

    with pytest.raises(CommandError) as exc:
        load(tmp_path)

    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith("rosgranstroy: failed: ")
    assert "map_data-2026-06-08.json: not JSON" in message
    assert BorderCrossing.objects.count() == 0
    assert not OfficialListSource.objects.filter(last_attempt_at__isnull=False).exists()


def test_a_folder_without_a_copy_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no \\*.json file"):
        load(tmp_path)


def test_the_task_records_the_fetched_list_and_its_validators(monkeypatch):
    answer = FetchResult(
        url="https://rosgranstroy.ru/api/map_data",
        status=200,
        body=ROSGRANSTROY_JUNE.read_bytes(),
        etag='"v1"',
    )
    monkeypatch.setattr("routes.checkpoints.refresh.fetch", lambda *a, **k: answer)

    result = refresh_checkpoints.apply().get()

    assert result == {
        "source": "rosgranstroy",
        "status": "ok",
        "seen": 385,
        "changed": 124,
    }
    assert BorderCrossing.objects.count() == 124
    assert OfficialListSource.objects.get().etag == '"v1"'


def test_a_failed_fetch_is_recorded_and_keeps_what_was_there(monkeypatch):
    load(ROSGRANSTROY_JUNE)
    failure = FetchError("https://rosgranstroy.ru/api/map_data", "HTTP 404", False)
    monkeypatch.setattr("routes.checkpoints.refresh.fetch", lambda *a, **k: failure)

    with pytest.raises(CommandError, match="rosgranstroy: failed: HTTP 404"):
        call_command("refresh_checkpoints", stdout=StringIO())

    source = OfficialListSource.objects.get()
    assert source.is_failing and source.last_success_at is not None
    assert BorderCrossing.objects.count() == 124


def test_switched_off_it_fetches_nothing(settings, monkeypatch):
    settings.ROSGRANSTROY_ENABLED = False
    monkeypatch.setattr(
        "routes.checkpoints.refresh.fetch", lambda *a, **k: pytest.fail("fetched")
    )
    out = StringIO()
    call_command("refresh_checkpoints", stdout=out)
    assert out.getvalue() == "rosgranstroy: off (ROSGRANSTROY_ENABLED is off)\n"

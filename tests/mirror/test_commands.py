"""The mirror's commands and key on a site small enough to export in a second:
keys, the missing key, replacing a mirror whole, refusing a folder that is not
one, the key served to readers and the scheduled task."""

from __future__ import annotations

import base64
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from exitwatch.lib.jobs import single_run
from mirror.services import LOCK
from mirror.signing import private_key_new, public_key_of
from mirror.tasks import export_mirror
from tests.factories import CrossingFactory

pytestmark = pytest.mark.django_db
KEY = private_key_new()
PUBLIC = public_key_of(KEY)
URL = "/.well-known/exitwatch-mirror-key"


def export(folder, **kwargs) -> str:
    out = StringIO()
    with override_settings(MIRROR_SIGNING_KEY=KEY, MIRROR_PUBLIC_KEY=PUBLIC):
        call_command("export_mirror", str(folder), stdout=out, **kwargs)
    return out.getvalue()


def test_keygen_prints_a_private_key_line_and_its_public_key():
    out = StringIO()
    call_command("mirror_keygen", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith("MIRROR_SIGNING_KEY=")
    private = first.removeprefix("MIRROR_SIGNING_KEY=")
    assert len(base64.b64decode(private)) == 32
    assert second.endswith(f": {public_key_of(private)}")


@override_settings(MIRROR_SIGNING_KEY="", MIRROR_PUBLIC_KEY="")
def test_export_without_a_key_stops_with_one_line(tmp_path):
    with pytest.raises(CommandError, match="^MIRROR_SIGNING_KEY is not set") as error:
        call_command("export_mirror", str(tmp_path / "site"))
    assert "\n" not in str(error.value)
    assert not (tmp_path / "site").exists()


def test_a_new_export_replaces_the_old_one_whole(tmp_path, crossing):
    site = tmp_path / "site"
    assert "signed" in export(site)
    assert (site / "crossings/upper-lars.html").is_file()
    (site / "left-over.html").write_text("from an old export")
    CrossingFactory(slug="sadakhlo")
    export(site)
    assert not (site / "left-over.html").exists()
    assert (site / "crossings/sadakhlo.html").is_file()
    # No work folder or old copy is left beside it.
    assert [path.name for path in tmp_path.iterdir()] == ["site"]
    out = StringIO()
    call_command("verify_mirror", str(site), "--key", PUBLIC, stdout=out)
    assert out.getvalue().startswith("verified: ")


@pytest.mark.parametrize("manifest", [None, '{"name": "A web app"}'])
def test_it_never_replaces_a_folder_that_is_not_a_mirror(tmp_path, crossing, manifest):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/notes.txt").write_text("mine")
    if manifest:  # a web root's own manifest.json is not a mirror's
        (tmp_path / "site/manifest.json").write_text(manifest)
    with pytest.raises(CommandError, match="is not a mirror"):
        export(tmp_path / "site")
    assert (tmp_path / "site/notes.txt").read_text() == "mine"
    assert [path.name for path in tmp_path.iterdir()] == ["site"]


@override_settings(MIRROR_SIGNING_KEY=KEY, MIRROR_PUBLIC_KEY=PUBLIC)
def test_verify_takes_the_sites_own_key_by_default(tmp_path, crossing):
    export(tmp_path / "site")
    out = StringIO()
    call_command("verify_mirror", str(tmp_path / "site"), stdout=out)
    assert PUBLIC in out.getvalue()


def test_the_site_serves_its_public_key_cacheably(client):
    with override_settings(MIRROR_PUBLIC_KEY=PUBLIC):
        response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"{PUBLIC}\n"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


@override_settings(MIRROR_SIGNING_KEY="", MIRROR_PUBLIC_KEY="")
def test_without_a_key_there_is_none_to_serve(client):
    assert client.get(URL).status_code == 404


def test_the_scheduled_export_is_skipped_without_a_key_or_a_folder(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mirror.tasks")
    with override_settings(MIRROR_SIGNING_KEY="", MIRROR_EXPORT_DIR=str(tmp_path)):
        assert export_mirror.apply().get() == {"status": "skipped"}
    with override_settings(MIRROR_SIGNING_KEY=KEY, MIRROR_EXPORT_DIR=""):
        assert export_mirror.apply().get() == {"status": "skipped"}
    assert "mirror export skipped" in caplog.text


def test_the_scheduled_export_waits_for_one_already_running(tmp_path, crossing):
    settings = {"MIRROR_SIGNING_KEY": KEY, "MIRROR_EXPORT_DIR": str(tmp_path / "m")}
    with override_settings(**settings):
        with single_run(LOCK, owner="another-run", ttl=60):
            assert export_mirror.apply().get()["status"] == "busy"
        assert not (tmp_path / "m").exists()
        answer = export_mirror.apply().get()
    assert answer["status"] == "done" and answer["files"] > 3
    assert (tmp_path / "m/manifest.json.sig").is_file()


def test_an_export_for_a_host_the_site_does_not_serve_stops_with_one_line(
    tmp_path, crossing
):
    with (
        override_settings(SITE_URL="https://elsewhere.example"),
        pytest.raises(CommandError, match="elsewhere.example is not in DJANGO_ALL"),
    ):
        export(tmp_path / "site")
    assert list(tmp_path.iterdir()) == []

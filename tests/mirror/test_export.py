"""A mirror of the seeded site: one export, many questions of it.

The export is made once for the module (seeding and rendering take seconds);
its ways out are rendered for three origins, not 87, to keep the suite fast:
the list of origins is the only thing cut (docs/mirrors.md gives the full
export's figures).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from mirror.signing import private_key_new, public_key_of
from routes.places import selectors as places
from routes.waysout.world import world_forget
from tests.support.seeded import seed_copy
from tests.support.waiting import wait_for

# Marked, so that pytest-django makes the test database the export reads.
pytestmark = pytest.mark.django_db
# A fixed key, so that every xdist worker checks the one export with it.
KEY = base64.b64encode(hashlib.sha256(b"exitwatch mirror tests").digest()).decode()
PUBLIC = public_key_of(KEY)
ORIGINS = ("kaliningrad", "moscow", "murmansk")
ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r'(?:href|src)="([^"]*)"')


def _few_places() -> list:
    return [place for place in places.places_all() if place.slug in ORIGINS]


def _export(folder: Path) -> None:
    out = StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("mirror.documents.places_all", _few_places)
        patch.setattr("mirror.render.places_all", _few_places)
        with transaction.atomic():
            cache.clear()
            seed_copy()
            world_forget()
            places.places_cache_bump(local_only=True)
            with override_settings(MIRROR_SIGNING_KEY=KEY, MIRROR_PUBLIC_KEY=PUBLIC):
                call_command("export_mirror", str(folder), stdout=out)
            transaction.set_rollback(True)
        world_forget()
        places.places_cache_bump(local_only=True)
        cache.clear()
    assert "signed" in out.getvalue()


@pytest.fixture(scope="module")
def mirror(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The export, made once per run: under xdist the first worker to claim it
    makes it in a folder the run's workers share, and the others read it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder, done = shared / "mirror-site", shared / "mirror-done"
    try:
        (shared / "mirror-claim").mkdir()
    except FileExistsError:
        wait_for(done.exists, timeout=600, what="the other worker's export")
        assert done.read_text() == "ok", done.read_text()
        return folder
    try:
        with django_db_blocker.unblock():
            _export(folder)
    except BaseException as exc:
        done.write_text(f"failed: {exc!r}")
        raise
    done.write_text("ok")
    return folder


@pytest.fixture
def copy(mirror, tmp_path) -> Path:
    """A copy of the mirror a test may spoil."""
    return Path(shutil.copytree(mirror, tmp_path / "copy"))


def verify(folder: Path, key: str = PUBLIC) -> tuple[bool, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_mirror", str(folder), "--key", key, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def crossing_slugs(mirror: Path) -> list[str]:
    document = json.loads((mirror / "map.json").read_text())
    return [f["properties"]["slug"] for f in document["crossings"]["features"]]


def html_files(mirror: Path) -> list[Path]:
    return sorted(mirror.rglob("*.html"))


def test_the_front_page_is_the_russian_list_of_every_crossing_under_14_kb(mirror):
    slugs = crossing_slugs(mirror)
    assert len(slugs) == 126
    html = (mirror / "index.html").read_text()
    assert '<html lang="ru">' in html
    assert 'href="index.en.html"' in html
    links = set(re.findall(r'href="crossings/([a-z0-9-]+)\.html"', html))
    assert links == set(slugs)
    assert len(gzip.compress(html.encode(), compresslevel=6)) <= 14 * 1024
    english = (mirror / "index.en.html").read_text()
    assert '<html lang="en">' in english and 'href="index.html"' in english


def test_every_crossing_has_a_text_page_in_both_languages(mirror):
    for slug in crossing_slugs(mirror):
        for name in (f"{slug}.html", f"{slug}.en.html"):
            assert (mirror / "crossings" / name).is_file(), name
    page = (mirror / "crossings/verkhny-lars.html").read_text()
    assert "Верхний Ларс" in page
    assert 'href="../index.html#c-ge"' in page
    assert 'href="../feeds/crossings/verkhny-lars.ru.atom"' in page
    # What the mirror lacks is on the canonical site.
    assert f'href="{settings.SITE_URL}/crossings/verkhny-lars/"' in page


def test_every_link_inside_the_mirror_is_relative_and_leads_to_a_file(mirror):
    broken, rooted = [], []
    for page in html_files(mirror):
        for link in LINK.findall(page.read_text()):
            if link.startswith(("http://", "https://", "#")):
                continue
            if link.startswith("/"):
                rooted.append((page.name, link))
                continue
            target = (page.parent / link.split("#")[0]).resolve()
            if not target.is_file():
                broken.append((str(page.relative_to(mirror)), link))
    assert rooted == [] and broken == []


def test_no_page_needs_a_server_or_a_script(mirror):
    for page in html_files(mirror):
        html = page.read_text()
        assert "<form" not in html and "<script" not in html, page


def test_it_holds_the_ways_out_from_every_origin_and_an_index_of_them(mirror):
    for lang in ("", ".en"):
        index = (mirror / f"ways-out/index{lang}.html").read_text()
        for slug in ORIGINS:
            for profile in ("internal", "passport"):
                name = f"{slug}/{profile}{lang}.html"
                assert f'href="{name}"' in index
                page = (mirror / "ways-out" / name).read_text()
                assert 'class="ways"' in page
    page = (mirror / "ways-out/murmansk/internal.html").read_text()
    assert "Мурманск" in page and "Только внутренний паспорт" in page
    assert 'href="internal.en.html"' in page  # the same page in English
    assert 'href="../index.html"' in page  # the index of origins
    assert 'href="../../crossings/borisoglebsk.html"' in page


def test_it_holds_the_map_document_the_feeds_and_the_style_sheets(mirror):
    assert json.loads((mirror / "map.json").read_text())["crossings"]["features"]
    for lang in ("ru", "en"):
        lean = json.loads((mirror / f"map-lean.{lang}.json").read_text())
        assert len(lean["crossings"]["rows"]) == len(crossing_slugs(mirror)), lang
    feeds = ["changes", "advisories", "crossings/verkhny-lars", "countries/GE"]
    for feed in feeds:
        english = (mirror / f"feeds/{feed}.atom").read_text()
        russian = (mirror / f"feeds/{feed}.ru.atom").read_text()
        assert english.startswith("<?xml") and russian.startswith("<?xml")
        assert "ExitWatch" in english and english != russian
        assert 'xml:lang="ru"' in russian
    for sheet in ("lite.css", "site.css", "waysout.css"):
        assert (mirror / "static/css" / sheet).read_bytes() == (
            ROOT / "static/css" / sheet
        ).read_bytes()


def test_the_manifest_lists_every_file_with_its_size_and_hash(mirror):
    manifest = json.loads((mirror / "manifest.json").read_text())
    listed = {item["path"]: item for item in manifest["files"]}
    on_disk = {
        path.relative_to(mirror).as_posix()
        for path in mirror.rglob("*")
        if path.is_file()
    }
    assert set(listed) == on_disk - {"manifest.json", "manifest.json.sig"}
    assert listed["index.html"]["size"] == (mirror / "index.html").stat().st_size
    assert re.fullmatch(r"[0-9a-f]{64}", listed["index.html"]["sha256"])
    assert manifest["public_key"] == PUBLIC
    assert manifest["site_url"] == settings.SITE_URL
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["made_at"])
    # Nothing of the work folders is left beside it.
    assert [p.name for p in mirror.parent.glob(f".{mirror.name}.*")] == []


def test_a_fresh_export_verifies(mirror):
    ok, out, err = verify(mirror)
    assert ok, err
    assert out.startswith("verified: ") and err == ""


def test_one_changed_byte_fails(copy):
    page = copy / "crossings/verkhny-lars.html"
    data = bytearray(page.read_bytes())
    data[100] ^= 1
    page.write_bytes(bytes(data))
    ok, _out, err = verify(copy)
    assert not ok
    lines = err.strip().splitlines()
    assert (
        lines[0]
        == "changed: crossings/verkhny-lars.html (its SHA-256 is not the manifest's)"
    )
    assert lines[-1] == f"NOT verified: 1 problem(s) in {copy}"


def test_a_removed_or_added_file_fails(copy):
    (copy / "feeds/changes.atom").unlink()
    (copy / "crossings/extra.html").write_text("<p>not ours</p>")
    ok, _out, err = verify(copy)
    assert not ok
    assert "missing: feeds/changes.atom" in err
    assert "extra: crossings/extra.html (not in the manifest)" in err
    assert "NOT verified: 2 problem(s)" in err


def test_a_link_or_special_file_slipped_in_fails(copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("<p>donate here</p>")
    (copy / "donate").symlink_to(elsewhere, target_is_directory=True)
    (copy / "gone.html").symlink_to(tmp_path / "no-such-file")
    os.mkfifo(copy / "pipe")
    ok, _out, err = verify(copy)
    assert not ok
    for name in ("donate", "gone.html", "pipe"):
        assert f"not a plain file: {name} (a link or a special file)" in err
    assert "NOT verified: 3 problem(s)" in err


def test_the_readers_snippet_refuses_a_link_too(mirror, copy, tmp_path):
    doc = (ROOT / "docs/mirrors.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    snippet = snippet[: snippet.index("print(verify(")]
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    (copy / "donate").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(ValueError, match="not a plain file"):
        namespace["verify"](copy, PUBLIC)


def test_a_tampered_manifest_fails_its_signature(copy):
    manifest = copy / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 1 '))
    ok, _out, err = verify(copy)
    assert not ok and "manifest.json.sig does not match manifest.json" in err


def test_another_key_fails(mirror):
    ok, _out, err = verify(mirror, key=public_key_of(private_key_new()))
    assert not ok and "manifest.json.sig does not match" in err


def test_the_readers_snippet_in_the_docs_verifies_an_export(mirror, copy, monkeypatch):
    doc = (ROOT / "docs/mirrors.md").read_text()
    project_key = re.search(r"```text\n(\S+)\n```", doc).group(1)
    assert project_key in (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    monkeypatch.chdir(mirror)
    namespace: dict = {}
    # Our own documentation, run as written but for the key it checks against.
    exec(snippet.replace(project_key, PUBLIC), namespace)  # noqa: S102
    listed = json.loads((mirror / "manifest.json").read_text())["files"]
    assert namespace["verify"](mirror, PUBLIC) == len(listed)
    (copy / "index.html").write_text("changed")
    with pytest.raises(ValueError, match="changed: index.html"):
        namespace["verify"](copy, PUBLIC)


def test_every_page_says_it_was_made_when_the_export_began(mirror):
    made_at = json.loads((mirror / "manifest.json").read_text())["made_at"]
    stamp = '<p class="reach">'
    for page in html_files(mirror):
        html = page.read_text()
        footer = html[html.index(stamp) :]
        assert f'<time datetime="{made_at}"' in footer, page
        # And first of all, that it is a copy whose figures are as of then.
        top = html[html.index('<p class="copy-of">') : html.index("<h1>")]
        assert f'<time datetime="{made_at}"' in top, page

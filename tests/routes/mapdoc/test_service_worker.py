"""The offline worker's script: served from the site's root (its scope is every
page), never cached, with its settings written above it; the map page registers
it from a file, under a policy that names it. The worker's behaviour in a
browser: tests/browser/test_offline.py."""

import json

import pytest

from routes.mapdoc import views

pytestmark = pytest.mark.django_db


def config_of(script: str) -> dict:
    first, _rest = script.split("\n", 1)
    assert first.startswith("self.EXITWATCH = ") and first.endswith(";")
    return json.loads(first.removeprefix("self.EXITWATCH = ").removesuffix(";"))


def test_the_worker_is_served_from_the_root_never_cached(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'self.addEventListener("fetch"' in script
    # Its own script's policy lets it fetch only this site.
    assert "connect-src 'self'" in response["Content-Security-Policy"]


def test_the_worker_carries_its_notice_in_every_language(client):
    config = config_of(client.get("/sw.js").content.decode())
    assert set(config["words"]) == {"en", "ru"}
    for words in config["words"].values():
        assert "%(age)s" in words["copy"] and "%(time)s" in words["copy"]
    assert config["words"]["en"]["msk"] == "MSK"
    assert config["words"]["ru"]["msk"] == "МСК"
    assert len(config["version"]) == 12


def test_a_new_deploys_static_files_give_the_worker_a_new_version(monkeypatch):
    views._service_worker_script.cache_clear()
    before = config_of(views._service_worker_script().decode())["version"]
    monkeypatch.setattr(
        views.staticfiles_storage, "manifest_hash", "a-new-deploy", raising=False
    )
    views._service_worker_script.cache_clear()
    after = config_of(views._service_worker_script().decode())["version"]
    monkeypatch.undo()
    views._service_worker_script.cache_clear()
    assert before != after


def test_the_map_page_registers_the_worker_from_a_file(client):
    response = client.get("/")
    html = response.content.decode()
    assert 'src="/static/js/offline.js" data-service-worker="/sw.js"' in html
    assert "worker-src 'self'" in response["Content-Security-Policy"]

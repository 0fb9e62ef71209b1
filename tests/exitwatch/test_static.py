"""Static files in production: hashed names, pre-compressed, cached for ever."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def collected(tmp_path, settings):
    # Only the project's own static/ (Leaflet, CSS, JS): the apps' files would
    # only make the test slower, and they go through the same storage.
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}},
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield tmp_path


def test_pages_name_hashed_files_that_are_cached_for_ever(collected):
    url = static("vendor/leaflet-1.9.4/leaflet.js")
    assert url != "/static/vendor/leaflet-1.9.4/leaflet.js"  # a content hash
    middleware = WhiteNoiseMiddleware(lambda request: None)
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_every_css_and_js_file_has_a_precompressed_twin(collected):
    for suffix in ("css", "js"):
        for path in collected.rglob(f"*.{suffix}"):
            assert path.with_name(path.name + ".gz").exists(), path

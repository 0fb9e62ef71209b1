"""Every page says when it was made and where else the site is: `reach` and the
footer include."""

import pytest
from django.utils import timezone

from exitwatch.lib.reach import reach
from tests.support.onion import ONION

pytestmark = pytest.mark.django_db

MIRRORS = ["https://mirror-one.example.net", "https://exitwatch.example.com/ru/"]


@pytest.fixture
def elsewhere(settings):
    settings.MIRRORS = MIRRORS
    settings.ONION_ADDRESS = ONION
    return settings


def footer(html: str) -> str:
    """The reach paragraph of a page."""
    start = html.index('<p class="reach">')
    return html[start : html.index("</p>", start)]


def test_reach_gives_the_moment_the_mirrors_and_the_onion(rf, elsewhere):
    before = timezone.now()
    values = reach(rf.get("/"))["reach"]
    assert values["mirrors"] == MIRRORS
    assert values["onion"] == ONION
    assert timezone.is_aware(values["made_at"])
    assert before <= values["made_at"] <= timezone.now()


def test_by_default_there_is_no_mirror_and_no_onion(rf, settings):
    values = reach(rf.get("/"))["reach"]
    assert values["mirrors"] == [] and values["onion"] == ""


def test_the_footer_says_when_in_moscow_time_and_where_else(client, elsewhere):
    with_time = footer(client.get("/privacy/").content.decode())
    assert 'datetime="' in with_time
    assert "MSK" in with_time
    for url in MIRRORS:
        assert f'<a href="{url}">{url}</a>' in with_time
    assert f'<a href="http://{ONION}/">{ONION}</a>' in with_time


def test_the_footer_in_russian_names_moscow_time_and_the_mirrors(client, elsewhere):
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    with_time = footer(html)
    assert "МСК" in with_time
    assert all(url in with_time for url in MIRRORS)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_text_page_ends_with_the_same_footer(client, elsewhere, lang):
    html = client.get(f"/lite/?lang={lang}").content.decode()
    with_time = footer(html)
    assert "МСК" in with_time if lang == "ru" else "MSK" in with_time
    assert MIRRORS[0] in with_time and ONION in with_time
    assert 'class="copy-of"' not in html  # the live page is no copy


def test_the_footer_leaves_out_what_is_not_configured(client, settings):
    settings.MIRRORS, settings.ONION_ADDRESS = [], ""
    with_time = footer(client.get("/privacy/").content.decode())
    assert "<time" in with_time
    assert "<a " not in with_time


def test_the_privacy_page_names_the_onion_address(client, elsewhere):
    for lang in ("en", "ru"):
        html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        article = html[html.index("<article") : html.index("</article>")]
        assert f'href="http://{ONION}/"' in article
        assert 'id="tor"' in article


def test_the_privacy_page_has_no_tor_section_without_an_address(client, settings):
    settings.ONION_ADDRESS = ""
    assert 'id="tor"' not in client.get("/privacy/").content.decode()

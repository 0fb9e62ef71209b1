"""/lite/crossings/<slug>/: one crossing as a few kilobytes of text."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.access.services import access_rule_record
from routes.services import crossing_update_record

pytestmark = pytest.mark.django_db
URL = "/lite/crossings/upper-lars/"


@pytest.fixture
def reported(crossing):
    now = timezone.now()
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        side="neighbour",
        status="open",
        source_url="https://example.org/georgian-border-police",
        waits={"car": 380},
        queue_length=1200,
        observed_at=now - timedelta(minutes=25),
    )
    return crossing


@pytest.fixture
def ruled(reported):
    access_rule_record(
        crossing=reported,
        side="neighbour",
        valid_from=timezone.now() - timedelta(days=30),
        modes=["car", "foot"],
        who="anyone",
        vehicles_refused="ru-registered",
        hours="24 h",
        source_kind="official",
        source_url="https://example.org/georgian-rules",
        note_en="Cars with Russian plates are turned back.",
        note_ru="Машины с российскими номерами разворачивают.",
    )
    return reported


def test_it_shows_each_side_with_its_date_and_source(client, reported):
    html = client.get(URL).content.decode()
    assert "Upper Lars — Other side" in html
    assert (
        "Neighbour&#x27;s side (Georgia)" in html
        or "Neighbour's side (Georgia)" in html
    )
    assert 'href="https://example.org/georgian-border-police"' in html
    assert "source: Staff" in html
    assert "No sourced claim about this side yet." in html  # the Russian side
    assert "<time datetime=" in html


def test_it_shows_the_waits_with_their_ages_and_the_queue(client, reported):
    html = client.get(URL).content.decode()
    assert "Car: <b>6 h 20 min (staff)</b>" in html
    assert "queue 1,200 vehicles" in html
    assert "25\xa0minutes ago" in html


def test_it_shows_who_may_cross_each_side_with_its_source(client, ruled):
    html = client.get(URL).content.decode()
    assert "Anyone with valid documents" in html
    assert "Car, On foot" in html
    assert "Cars registered in Russia" in html
    assert 'href="https://example.org/georgian-rules"' in html
    assert "Cars with Russian plates are turned back." in html
    russian = client.get(URL + "?lang=ru").content.decode()
    assert "Машины с российскими номерами разворачивают." in russian


def test_it_lists_recent_history_and_links_back(client, reported):
    html = client.get(URL).content.decode()
    assert "History" in html and "6 h 20 min" in html
    assert 'href="/lite/#c-ge"' in html
    assert 'href="/crossings/upper-lars/"' in html
    assert 'href="/feeds/crossings/upper-lars.atom"' in html
    assert 'href="/lite/crossings/upper-lars/?lang=ru"' in html


def test_it_is_a_few_kilobytes_of_text_with_no_script_or_cookie(client, ruled):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"<script" not in response.content and b"<form" not in response.content
    assert len(response.content) < 8 * 1024
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=15"


def test_it_speaks_russian_when_asked(client, reported):
    html = client.get(URL + "?lang=ru").content.decode()
    assert '<html lang="ru">' in html and "Верхний Ларс" in html
    assert 'href="/lite/?lang=ru#c-ge"' in html


def test_an_unknown_crossing_is_a_404(client, db):
    assert client.get("/lite/crossings/nowhere/").status_code == 404

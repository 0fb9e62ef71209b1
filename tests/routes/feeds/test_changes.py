"""/feeds/changes.atom: every status change, newest first, saying what changed,
when, on whose word, and where to read more."""

from html import unescape

import pytest

from tests.factories import CrossingFactory
from tests.routes.feeds.conftest import SOURCE

pytestmark = pytest.mark.django_db

URL = "/feeds/changes.atom"


@pytest.fixture
def story(crossing, record):
    """Upper Lars: the Russian side opens, Georgia opens, a queue, then it closes."""
    record(crossing, 100, status="open", side="ru", note="Checkpoint working")
    record(crossing, 90, status="open", side="ru")  # the same claim again
    record(crossing, 80, status="open", side="neighbour")
    record(crossing, 70, waits={"car": 45})  # a wait: no status change
    record(
        crossing,
        60,
        status="closed",
        note="Closed by <b>order</b>",
        note_ru="Закрыт по приказу",
    )
    return crossing


def test_an_empty_history_is_a_valid_feed_with_no_entry(fetch, db):
    response, feed = fetch(URL)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.entries == []
    assert feed.feed.title == "ExitWatch: border crossing changes"


def test_entries_are_the_status_changes_newest_first(fetch, story):
    _response, feed = fetch(URL)
    assert [e.title for e in feed.entries] == [
        "Upper Lars — Other side: Open → Closed",
        "Upper Lars — Other side: Unknown → Open",
        "Upper Lars — Other side (Russian side): Unknown → Open",
    ]
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)


def test_an_entry_says_what_changed_on_which_side_when_and_who_says_so(fetch, story):
    _response, feed = fetch(URL)
    closed = feed.entries[0].summary
    assert "<strong>Status</strong>: Open → Closed" in closed
    assert "<strong>Russian side</strong>: Open → Closed" in closed
    assert "Neighbour's side (Georgia)</strong>: Open → Closed" in unescape(closed)
    assert "<strong>Wait</strong>: Car 45 min" in closed
    assert "Observed " in closed and "; recorded " in closed and "MSK" in closed
    assert f'Source: Staff — <a href="{SOURCE}">' in closed
    # The note is text, never markup.
    assert "“Closed by &lt;b&gt;order&lt;/b&gt;”" in closed
    assert feed.entries[0].author == "Staff"


def test_a_side_that_opens_while_the_crossing_stays_shut_says_so(fetch, story):
    _response, feed = fetch(URL)
    first = feed.entries[-1].summary
    assert "<strong>Russian side</strong>: Unknown → Open" in first
    assert "The crossing's status stays Unknown." in unescape(first)
    assert "“Checkpoint working”" in first


def test_entries_link_the_crossing_page_by_an_absolute_stable_url(client, fetch, story):
    _response, feed = fetch(URL)
    entry = feed.entries[0]
    newest = story.updates.order_by("-id").first()
    assert entry.link == f"http://testserver/crossings/upper-lars/#update-{newest.pk}"
    assert entry.id == entry.link
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    # The anchor lands on the row of the page's history.
    page = client.get("/crossings/upper-lars/").content.decode()
    assert f'id="update-{newest.pk}"' in page
    _again, later = fetch(URL)
    assert [e.id for e in later.entries] == [e.id for e in feed.entries]


def test_a_late_observation_is_marked_as_not_current(fetch, crossing, record):
    record(crossing, 10, status="open")
    record(crossing, 30, status="closed")  # observed before the open: late
    _response, feed = fetch(URL)
    late = next(e for e in feed.entries if "Closed" in e.title)
    assert "Arrived late: kept, not shown as current" in late.summary


def test_a_traveller_based_change_names_no_reporter(fetch, crossing, record):
    record(
        crossing,
        5,
        status="closed",
        source_kind="traveller",
        source_url="",
        actor_label="trusted reporter: Nino's phone",
    )
    response, feed = fetch(URL)
    assert feed.entries[0].author == "Traveller"
    assert "Source: Traveller" in feed.entries[0].summary
    assert b"Nino" not in response.content and b"trusted" not in response.content


def test_the_feed_is_in_russian_when_asked(fetch, story):
    response, feed = fetch(URL + "?lang=ru")
    assert response["Content-Language"] == "ru"
    assert feed.feed.language == "ru"
    assert feed.entries[0].title == "Верхний Ларс — Другая сторона: Открыт → Закрыт"
    summary = feed.entries[0].summary
    assert "<strong>Российская сторона</strong>: Открыт → Закрыт" in summary
    assert "Сторона соседа (Грузия)" in summary
    assert "<strong>Ожидание</strong>: Легковые 45 мин" in summary
    assert "“Закрыт по приказу”" in summary  # the Russian note
    assert "Источник: Сотрудники" in summary
    assert "МСК" in summary
    assert feed.feed.links[-1].href.endswith("/feeds/changes.atom?lang=ru")


def test_an_unknown_language_falls_back_to_english(fetch, story):
    response, feed = fetch(URL + "?lang=xx")
    assert response["Content-Language"] == "en"
    assert feed.entries[0].title == "Upper Lars — Other side: Open → Closed"


def test_it_costs_the_same_queries_however_long_the_history(
    client, record, django_assert_num_queries
):
    crossings = [CrossingFactory() for _ in range(3)]
    for i, crossing in enumerate(crossings):
        record(crossing, 500 - i, status="open")
    # The newest row, each crossing's claims from before the compared rows,
    # then the changes.
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
    for n in range(60):
        record(crossings[n % 3], 400 - n, status="closed" if n % 2 else "open")
        record(crossings[n % 3], 399 - n, waits={"car": n})
    with django_assert_num_queries(3):
        response = client.get(URL)
    # Three first claims, then sixty claims of which two repeat an "open".
    assert response.content.count(b"<entry>") == 3 + 60 - 2
    with django_assert_num_queries(1):  # the same document, kept once written
        assert client.get(URL + "?utm=x").status_code == 200


def test_it_keeps_the_last_hundred_changes(client, crossing, record):
    for n in range(110):
        record(crossing, 500 - n, status="closed" if n % 2 else "open")
    body = client.get(URL).content
    assert body.count(b"<entry>") == 100

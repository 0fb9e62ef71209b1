"""A crossing's own page: its state, chart, history, routes and sources."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routes.services import crossing_update_record
from tests.factories import ExitRouteFactory

pytestmark = pytest.mark.django_db


def report(crossing, hours_ago, **fields):
    return crossing_update_record(
        crossing=crossing,
        source_kind=fields.pop("source_kind", "traveller"),
        observed_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


@pytest.fixture
def reported(crossing):
    report(
        crossing, 5, status="open", waits={"car": 600}, source_url="https://a.example/1"
    )
    report(crossing, 3, waits={"car": 300, "bus": 60})
    report(crossing, 1, waits={"car": 120}, queue_length=800, note="Moving")
    return crossing


def test_it_shows_the_current_state_with_its_source_and_age(client, reported):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "Upper Lars — Other side" in html
    assert "badge-open" in html
    # Each wait says what it rests on (its label).
    assert "Car: <strong>2 h (traveller)</strong>" in html
    assert "800 vehicles" in html
    assert "source: Traveller" in html
    assert "MSK</time>" in html and 'title="20' in html  # Moscow time, UTC on hover


def test_it_draws_the_wait_chart_from_the_history(client, reported):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert 'id="wait-chart"' in html
    assert html.count('class="dot"') == 4  # three car reports, one bus
    assert 'class="series series-car"' in html
    assert 'class="series series-bus"' in html


def test_history_lists_every_update_newest_first(client, reported):
    response = client.get("/crossings/upper-lars/")
    updates = response.context["updates"]
    assert [u.note for u in updates] == ["Moving", "", ""]


def test_a_late_report_is_listed_but_marked(client, reported):
    report(reported, 10, waits={"car": 5})
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "arrived late" in html


def test_it_lists_its_routes_and_sources_and_the_report_link(client, reported):
    ExitRouteFactory(crossing=reported, slug="msk-tbilisi")
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "Moscow → Upper Lars → Tbilisi" in html
    assert 'href="https://a.example/1"' in html
    assert 'href="https://en.wikipedia.org/wiki/Upper_Lars"' in html
    assert 'href="/report/upper-lars/"' in html


def test_a_crossing_nobody_reported_says_so(client, crossing):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "Nobody has reported on this crossing yet." in html
    assert 'id="wait-chart"' not in html


def test_the_page_is_in_russian_with_russian_names(client, reported):
    html = client.get(
        "/crossings/upper-lars/", headers={"accept-language": "ru"}
    ).content.decode()
    assert "Верхний Ларс — Другая сторона" in html
    assert "Северная Осетия — Алания" in html
    assert "800 машин" in html
    assert "МСК" in html


def test_an_unknown_crossing_is_not_found(client, db):
    assert client.get("/crossings/nowhere/").status_code == 404


def test_the_query_count_does_not_grow_with_the_history(
    client, reported, django_assert_max_num_queries
):
    for hours in range(40):
        report(reported, 0.5 + hours / 100, waits={"car": hours})
    with django_assert_max_num_queries(4):
        assert client.get("/crossings/upper-lars/").status_code == 200


def _approved(crossing, editor, minutes_ago, wait):
    from exitwatch.lib.coarse_time import floor_time
    from routes.reports.services import report_approve
    from tests.routes.reports.reporting import ReportFactory

    return report_approve(
        report=ReportFactory(
            crossing=crossing,
            wait_minutes=wait,
            observed_at=floor_time(timezone.now() - timedelta(minutes=minutes_ago)),
        ),
        actor=editor,
    )


@pytest.fixture
def median_with_a_late_report(crossing, editor):
    """Traveller reports of 4 h and 4 h 30 min around a staff update, and one of
    10 h approved after that update although seen before it: kept in history as
    "not shown as current"."""
    _approved(crossing, editor, 60, 240)
    report(crossing, 20 / 60, status="open", source_kind="staff", note="Checked")
    late = _approved(crossing, editor, 40, 600)
    assert late.crossing_update.applied is False
    _approved(crossing, editor, 10, 270)
    crossing.refresh_from_db()
    return crossing


def test_a_report_not_shown_as_current_is_not_counted_in_the_median(
    median_with_a_late_report,
):
    crossing = median_with_a_late_report
    # The median of 240 and 270, the late 600 left out.
    assert crossing.wait_car == 255
    assert crossing.wait_basis["car"]["count"] == 2


def test_one_median_reads_the_same_on_every_page(
    client, settings, median_with_a_late_report
):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    shown = "4 h 15 min"
    page = client.get("/crossings/upper-lars/").content.decode()
    assert f"<strong>{shown} (median of 2 traveller reports" in page
    # The history's newest row is the figure shown.
    assert client.get("/crossings/upper-lars/").context["updates"][0].wait_car == 255
    assert f"{shown} (median of 2 traveller reports" in client.get(
        "/lite/"
    ).content.decode("utf-8")
    api = client.get("/api/v1/crossings/upper-lars/").json()
    assert api["waits"]["car"] == 255
    feature = next(
        f
        for f in client.get("/api/v1/map/").json()["crossings"]["features"]
        if f["properties"]["slug"] == "upper-lars"
    )
    # The map writes it with formatWait, the same rule as format_wait.
    assert feature["properties"]["waits"]["car"] == 255
    figures = client.get("/api/v1/reports/crossings/upper-lars/").json()["waits"]
    assert [(w["mode"], w["minutes"]) for w in figures] == [("car", 255)]
    assert figures[0]["label"].startswith(f"{shown} (median of 2")


@pytest.fixture
def noted_in_both_languages(crossing):
    report(
        crossing,
        2,
        status="open",
        side="ru",
        source_kind="official",
        source_url="https://a.example/official",
        note="Open round the clock",
        note_ru="Работает круглосуточно",
        facts={"hours": "24 h"},
    )
    report(
        crossing,
        1,
        status="restricted",
        side="neighbour",
        source_kind="staff",
        note="Only residents let through",
        note_ru="Пропускают только местных жителей",
    )
    report(
        crossing,
        0.5,
        waits={"car": 90},
        note="Queue moving",
        note_ru="Очередь движется",
    )
    return crossing


def test_a_russian_page_shows_the_russian_notes_and_hours(
    client, noted_in_both_languages
):
    html = client.get(
        "/crossings/upper-lars/", headers={"accept-language": "ru"}
    ).content.decode()
    for russian in (
        "“Работает круглосуточно”",
        "“Пропускают только местных жителей”",
        "<dd>Очередь движется</dd>",  # the latest note
        "<td>Очередь движется</td>",  # the history
        "<dd>круглосуточно</dd>",
    ):
        assert russian in html
    assert "Only residents let through" not in html
    assert "24 h" not in html


def test_an_english_page_keeps_the_notes_as_written(client, noted_in_both_languages):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert "“Only residents let through”" in html
    assert "<dd>Queue moving</dd>" in html
    assert "<dd>24 h</dd>" in html
    assert "Пропускают" not in html

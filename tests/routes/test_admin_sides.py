"""The crossing admin and the two sides of a border: which side a status is about,
the write path's refusals shown on the form, each side's state and the official
facts on the page."""

from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from routes.models import BorderCrossing, CrossingUpdate
from routes.services import crossing_update_record
from tests.factories import CrossingFactory
from tests.routes.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

NO_SOURCE = "Give a source URL or write in the note why the status changed."


def errors(response) -> dict:
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_a_status_change_must_name_its_side(client, editor, crossing):
    client.force_login(editor)
    data = form_data(client, crossing, status="closed", update_note="Decree 17")
    assert errors(client.post(change_url(crossing), data)) == {
        "update_side": ["Say which side of the border this status is about."]
    }
    assert CrossingUpdate.objects.count() == 0


def test_the_services_refusal_is_a_form_error_and_nothing_is_saved(
    client, superuser, crossing
):
    client.force_login(superuser)
    data = form_data(
        client, crossing, status="closed", update_side="neighbour", hours="24h"
    )
    response = client.post(change_url(crossing), data)
    assert errors(response) == {"update_source_url": [NO_SOURCE]}
    assert NO_SOURCE in response.content.decode()
    crossing.refresh_from_db()
    # The reference edit made before the refused update is rolled back with it.
    assert (crossing.status, crossing.hours, crossing.version) == ("unknown", "", 1)
    assert CrossingUpdate.objects.count() == 0

    data["update_source_url"] = "https://www.gov.ge/news/upper-lars"
    assert client.post(change_url(crossing), data).status_code == 302
    crossing.refresh_from_db()
    assert (crossing.neighbour_status, crossing.status, crossing.hours) == (
        "closed",
        "closed",
        "24h",
    )
    assert crossing.neighbour_source_url == "https://www.gov.ge/news/upper-lars"


def test_a_side_named_records_the_status_shown_for_that_side(client, editor, crossing):
    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="closed",
        side="neighbour",
        note="Georgia closed its side",
    )
    client.force_login(editor)
    # The crossing shows closed; the editor says the Russian side is closed too.
    data = form_data(
        client,
        crossing,
        update_side="ru",
        update_source_url="https://t.me/exitwatch_border/7",
    )
    assert client.post(change_url(crossing), data).status_code == 302
    crossing.refresh_from_db()
    assert (crossing.ru_status, crossing.neighbour_status) == ("closed", "closed")
    assert CrossingUpdate.objects.latest("id").side == "ru"


def test_waits_alone_claim_no_status(client, editor, crossing):
    client.force_login(editor)
    data = form_data(client, crossing, wait_car="95")
    assert client.post(change_url(crossing), data).status_code == 302
    update = CrossingUpdate.objects.get()
    assert (update.side, update.wait_car) == ("", 95)
    crossing.refresh_from_db()
    assert (crossing.status, crossing.ru_status) == ("unknown", "unknown")


@pytest.fixture
def documented(crossing):
    crossing.official_id = 418
    crossing.coord_source = "Rosgranstroy's point is the customs yard, 2 km off"
    crossing.save()
    crossing_update_record(
        crossing=crossing,
        source_kind="official",
        status="restricted",
        side="ru",
        facts={
            "hours_text_ru": "круглосуточно",
            "bilateral": True,
            "cargo_only": False,
            "latitude": 42.75,
            "longitude": 44.62,
        },
        source_url="https://rosgranstroy.ru/checkpoint/418",
    )
    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        side="neighbour",
        note="Georgian side lets cars through",
    )
    return crossing


def test_the_page_shows_both_sides_and_the_official_facts(
    client, superuser, documented
):
    client.force_login(superuser)
    body = client.get(change_url(documented)).content.decode()
    for shown in (
        "Russian side",
        "Neighbour&#x27;s side",
        "https://rosgranstroy.ru/checkpoint/418",
        "Georgian side lets cars through",
        "круглосуточно",
        "42.75000, 44.62000",
    ):
        assert shown in body, shown
    # Superusers edit the reference about the official checkpoint...
    for name in ("official_id", "de_facto", "coord_source", "coord_override"):
        assert f'name="{name}"' in body, name
    # ...the sides' state and the published facts come only with updates.
    for name in ("ru_status", "neighbour_note", "cargo_only", "hours_text_ru"):
        assert f'name="{name}"' not in body, name


def test_an_editor_sees_the_official_reference_read_only(client, editor, documented):
    client.force_login(editor)
    body = client.get(change_url(documented)).content.decode()
    assert "418" in body and "customs yard" in body
    assert 'name="official_id"' not in body
    data = form_data(client, documented, official_id="1", coord_override="on")
    client.post(change_url(documented), data)
    documented.refresh_from_db()
    assert (documented.official_id, documented.coord_override) == (418, False)


def test_a_superuser_edits_the_official_reference(client, superuser, documented):
    client.force_login(superuser)
    data = form_data(
        client,
        documented,
        official_id="419",
        de_facto="south-ossetia",
        coord_override="on",
    )
    assert client.post(change_url(documented), data).status_code == 302
    documented.refresh_from_db()
    assert (
        documented.official_id,
        documented.de_facto,
        documented.coord_override,
    ) == (419, "south-ossetia", True)
    assert documented.updates.count() == 2  # reference edits are no observation


@pytest.fixture
def selection():
    crossings = [CrossingFactory(), CrossingFactory()]
    return {
        "action": "mark_open",
        ACTION_CHECKBOX_NAME: [c.pk for c in crossings],
        "apply": "1",
        "note": "Finland reopened its side",
    }


def test_bulk_marks_the_side_chosen(client, editor, selection):
    client.force_login(editor)
    url = reverse("admin:routes_bordercrossing_changelist")
    first = {
        k: v for k, v in selection.items() if k in ("action", ACTION_CHECKBOX_NAME)
    }
    confirm = client.post(url, first)
    assert "Russian side: Unknown; neighbour's side: Unknown" in (
        confirm.content.decode()
    )
    response = client.post(url, {**selection, "side": "neighbour"})
    assert response.status_code == 302
    sides = set(
        BorderCrossing.objects.values_list("ru_status", "neighbour_status", "status")
    )
    assert sides == {("unknown", "open", "unknown")}
    assert set(CrossingUpdate.objects.values_list("side", flat=True)) == {"neighbour"}


def test_a_bulk_change_the_service_refuses_saves_none(client, editor, selection):
    client.force_login(editor)
    url = reverse("admin:routes_bordercrossing_changelist")
    calls = []

    def second_refused(**kwargs):
        calls.append(kwargs["crossing"])
        if len(calls) == 2:
            raise ValidationError({"source_url": [NO_SOURCE]})
        return crossing_update_record(**kwargs)

    with mock.patch("routes.admin.crossing_update_record", second_refused):
        response = client.post(url, {**selection, "side": "both"})
    assert response.status_code == 200
    assert NO_SOURCE in response.content.decode()
    assert len(calls) == 2
    assert CrossingUpdate.objects.count() == 0
    assert set(BorderCrossing.objects.values_list("status", flat=True)) == {"unknown"}


def test_history_lists_the_side_of_each_update(client, editor, documented):
    client.force_login(editor)
    url = reverse("admin:routes_crossingupdate_changelist")
    body = client.get(url).content.decode()
    assert "Neighbour&#x27;s side" in body and "Russian side" in body
    filtered = client.get(url, {"side__exact": "neighbour"})
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 1

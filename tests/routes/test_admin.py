"""The staff admin, through real requests: permissions, the write path, conflicts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from routes.models import BorderCrossing, CrossingUpdate
from tests.factories import CrossingFactory, StaffFactory

pytestmark = pytest.mark.django_db


def change_url(crossing: BorderCrossing) -> str:
    return reverse("admin:routes_bordercrossing_change", args=[crossing.pk])


def form_data(client, crossing: BorderCrossing, **changes) -> dict:
    """The change form as the browser would submit it, with `changes` applied."""
    response = client.get(change_url(crossing))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value
    data.update(
        {
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "0",
        }
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_visitors_are_sent_to_the_login_page(client, crossing):
    response = client.get(change_url(crossing))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    response = client.post(change_url(crossing), {"status": "closed"})
    assert response.status_code == 302
    crossing.refresh_from_db()
    assert crossing.status == "unknown"


def test_staff_without_permissions_cannot_see_crossings(client, crossing):
    client.force_login(StaffFactory(username="intern"))
    assert client.get(change_url(crossing)).status_code == 403
    assert (
        client.get(reverse("admin:routes_bordercrossing_changelist")).status_code == 403
    )


def test_changelist_shows_status_waits_age_and_author(client, superuser, crossing):
    from routes.services import crossing_update_record

    crossing_update_record(
        crossing=crossing,
        source_kind="staff",
        status="open",
        waits={"car": 95},
        note="Cars moving",
    )
    client.force_login(superuser)
    response = client.get(
        reverse("admin:routes_bordercrossing_changelist"), {"status__exact": "open"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Upper Lars" in body and "95" in body and "staff" in body
    search = client.get(
        reverse("admin:routes_bordercrossing_changelist"), {"q": "Ларс"}
    )
    assert "Upper Lars" in search.content.decode()


def test_an_editor_changes_status_through_the_write_path(client, editor, crossing):
    client.force_login(editor)
    data = form_data(
        client,
        crossing,
        status="restricted",
        update_side="ru",
        wait_car="1440",
        update_note="Queue to Kazbegi turn",
    )
    response = client.post(change_url(crossing), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    crossing.refresh_from_db()
    assert (crossing.status, crossing.wait_car) == ("restricted", 1440)
    assert (crossing.ru_status, crossing.neighbour_status) == ("restricted", "unknown")
    update = CrossingUpdate.objects.get()
    assert update.actor == editor
    assert update.source_kind == "staff"
    assert update.side == "ru"
    assert update.note == "Queue to Kazbegi turn"


def test_an_editor_cannot_change_reference_data_or_delete(client, editor, crossing):
    client.force_login(editor)
    data = form_data(client, crossing, name_en="Renamed", latitude="10")
    client.post(change_url(crossing), data)
    crossing.refresh_from_db()
    assert (crossing.name_en, crossing.latitude) == ("Upper Lars", 42.7417)
    delete = reverse("admin:routes_bordercrossing_delete", args=[crossing.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert BorderCrossing.objects.filter(pk=crossing.pk).exists()


def test_an_editor_cannot_edit_or_delete_history(client, editor, crossing):
    from routes.services import crossing_update_record

    update = crossing_update_record(
        crossing=crossing, source_kind="staff", status="open", note="Cars moving"
    )
    client.force_login(editor)
    url = reverse("admin:routes_crossingupdate_change", args=[update.pk])
    response = client.get(url)
    assert response.status_code == 200  # view only
    assert b'name="status"' not in response.content
    client.post(url, {"status": "closed"})
    delete = reverse("admin:routes_crossingupdate_delete", args=[update.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    update.refresh_from_db()
    assert update.status == "open"


def test_history_is_shown_read_only_on_the_crossing_page(client, superuser, crossing):
    from routes.services import crossing_update_record

    crossing_update_record(
        crossing=crossing, source_kind="official", status="closed", note="Decree 17"
    )
    client.force_login(superuser)
    body = client.get(change_url(crossing)).content.decode()
    assert "Decree 17" in body
    assert 'name="updates-0-status"' not in body


def test_a_superuser_edits_reference_data_without_touching_state(
    client, superuser, crossing
):
    client.force_login(superuser)
    response = client.post(
        change_url(crossing), form_data(client, crossing, hours="24h")
    )
    assert response.status_code == 302
    crossing.refresh_from_db()
    assert crossing.hours == "24h"
    assert crossing.version == 2
    assert CrossingUpdate.objects.count() == 0


def test_the_second_of_two_concurrent_saves_is_refused(client, editor, crossing):
    from django.test import Client

    other = Client()
    other.force_login(StaffFactory(username="giorgi", is_superuser=True))
    client.force_login(editor)
    mine = form_data(
        client,
        crossing,
        status="closed",
        update_side="both",
        update_note="Closed by decree",
    )
    theirs = form_data(
        other, crossing, status="open", update_side="both", update_note="Saw cars"
    )

    assert other.post(change_url(crossing), theirs).status_code == 302
    response = client.post(change_url(crossing), mine)

    assert response.status_code == 200
    assert "was changed by giorgi while you were editing" in response.content.decode()
    crossing.refresh_from_db()
    assert crossing.status == "open"
    assert list(CrossingUpdate.objects.values_list("note", flat=True)) == ["Saw cars"]


def test_bulk_mark_closed_asks_for_a_note_first(client, editor):
    crossings = [CrossingFactory(), CrossingFactory()]
    client.force_login(editor)
    url = reverse("admin:routes_bordercrossing_changelist")
    selection = {
        "action": "mark_closed",
        ACTION_CHECKBOX_NAME: [c.pk for c in crossings],
    }
    response = client.post(url, selection)
    assert response.status_code == 200
    assert "These crossings will change" in response.content.decode()
    assert CrossingUpdate.objects.count() == 0

    response = client.post(url, {**selection, "apply": "1", "note": ""})
    assert "This field is required" in response.content.decode()
    assert CrossingUpdate.objects.count() == 0

    response = client.post(
        url, {**selection, "apply": "1", "note": "Closed at night from 22 Sept"}
    )
    assert "This field is required" in response.content.decode()  # which side?
    assert CrossingUpdate.objects.count() == 0

    response = client.post(
        url,
        {
            **selection,
            "apply": "1",
            "side": "both",
            "note": "Closed at night from 22 Sept",
        },
    )
    assert response.status_code == 302
    assert set(BorderCrossing.objects.values_list("status", flat=True)) == {"closed"}
    assert CrossingUpdate.objects.filter(actor=editor).count() == 2


def test_staff_editors_can_browse_airports_flights_and_advisories(client, editor):
    client.force_login(editor)
    for name in (
        "flights_airport",
        "flights_flightreport",
        "routes_exitroute",
        "advisories_advisory",
        "advisories_advisorysource",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:flights_airport_add")).status_code == 403

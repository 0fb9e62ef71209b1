"""Staff add access rules in the admin, through the write path; none is edited."""

from datetime import UTC, datetime

import pytest

from routes.access.models import CrossingAccessRule
from routes.access.services import access_rule_record

pytestmark = pytest.mark.django_db
ADD = "/admin/access/crossingaccessrule/add/"
SOURCE = "https://www.themoscowtimes.com/2025/03/18/latvia-restricts-border-crossings-with-russia-and-belarus-a88407"


@pytest.fixture
def data(crossing):
    return {
        "crossing": str(crossing.pk),
        "side": "neighbour",
        "valid_from_0": "2025-03-19",
        "valid_from_1": "00:00:00",
        "modes": ["car", "bus"],
        "who": "",
        "vehicles_refused": "ru-registered",
        "hours": "",
        "source_kind": "staff",
        "source_url": SOURCE,
        "note_en": "Motor vehicles only",
        "note_ru": "",
    }


def test_staff_add_a_rule_through_the_write_path(client, superuser, crossing, data):
    client.force_login(superuser)
    refused = client.post(ADD, {**data, "modes": [], "who": "anyone"})
    assert refused.status_code == 200  # the form again, with the message
    assert "modes" in refused.context["adminform"].form.errors
    assert not CrossingAccessRule.objects.exists()
    saved = client.post(ADD, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    rule = CrossingAccessRule.objects.get()
    assert (rule.modes, rule.vehicles_refused) == (["bus", "car"], "ru-registered")
    assert (rule.actor, rule.actor_label) == (superuser, "boss")
    change = client.get(f"/admin/access/crossingaccessrule/{rule.pk}/change/")
    assert change.status_code == 200
    assert b'name="hours"' not in change.content  # never edited
    assert (
        client.get(f"/admin/access/crossingaccessrule/{rule.pk}/delete/").status_code
        == 403
    )


def test_unknown_ways_to_cross_are_recorded_as_not_known(client, superuser, data):
    client.force_login(superuser)
    assert (
        client.post(ADD, {**data, "modes": [], "modes_unknown": "on"}).status_code
        == 302
    )
    assert CrossingAccessRule.objects.get().modes is None


def test_the_add_form_starts_from_the_rule_in_force(client, superuser, crossing):
    access_rule_record(
        crossing=crossing,
        side="neighbour",
        valid_from=datetime(2023, 9, 13, 7, tzinfo=UTC),
        modes=["car", "bus", "foot"],
        who="anyone",
        vehicles_refused="ru-registered",
        hours="24 h",
        source_kind="staff",
        source_url=SOURCE,
    )
    client.force_login(superuser)
    page = client.get(ADD, {"crossing": crossing.pk, "side": "neighbour"})
    initial = page.context["adminform"].form.initial
    assert initial["modes"] == ["bus", "car", "foot"]
    assert (initial["who"], initial["hours"]) == ("anyone", "24 h")
    assert initial["vehicles_refused"] == "ru-registered"
    assert "source_url" not in initial  # a new rule names its own source

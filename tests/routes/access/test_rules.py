"""Access rules: one write path, append-only, the rule in force at any date."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from routes.access.models import CrossingAccessRule
from routes.access.selectors import access_at
from routes.access.services import access_rule_record
from tests.factories import CrossingFactory, EditorFactory

pytestmark = pytest.mark.django_db
SOURCE = "https://news.err.ee/1609232801/narva-border-crossing-only-open-to-pedestrians-from-february"


def moment(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


def record(crossing, **changes):
    values = {
        "crossing": crossing,
        "side": "neighbour",
        "valid_from": datetime(2024, 2, 1, tzinfo=UTC),
        "modes": ["foot"],
        "who": "",
        "vehicles_refused": "ru-registered",
        "source_kind": "staff",
        "source_url": SOURCE,
        **changes,
    }
    rule, _created = access_rule_record(**values)
    return rule


@pytest.fixture
def narva(db):
    return CrossingFactory(slug="ivangorod", name_en="Ivangorod")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"modes": ["hovercraft"]}, "modes"),
        ({"modes": "foot"}, "modes"),
        ({"modes": [], "who": "anyone"}, "modes"),
        ({"modes": ["car"], "who": "nobody"}, "modes"),
        ({"who": "tourists"}, "who"),
        ({"side": "both"}, "side"),
        ({"vehicles_refused": "all"}, "vehicles_refused"),
        ({"hours": "x" * 121}, "hours"),
        ({"source_kind": "traveller"}, "source_kind"),
        ({"source_url": ""}, "source_url"),
        ({"source_url": "t.me/somewhere"}, "source_url"),
        ({"valid_from": datetime(2024, 2, 1)}, "valid_from"),
        ({"valid_from": datetime(1999, 12, 31, tzinfo=UTC)}, "valid_from"),
        ({"valid_from": timezone.now() + timedelta(days=400)}, "valid_from"),
    ],
)
def test_a_bad_rule_is_refused_by_field_and_nothing_written(narva, changes, field):
    with pytest.raises(ValidationError) as exc:
        record(narva, **changes)
    assert field in exc.value.message_dict
    assert not CrossingAccessRule.objects.exists()


def test_a_rule_announced_ahead_is_accepted_and_in_force_only_from_its_date(narva):
    ahead = timezone.now() + timedelta(days=30)
    record(narva, valid_from=ahead, modes=["bus", "car"])
    assert access_at(crossings=[narva.pk]) == {}
    later = access_at(ahead + timedelta(minutes=1), crossings=[narva.pk])
    assert later[narva.pk]["neighbour"].modes == frozenset({"bus", "car"})


def test_modes_are_stored_sorted_and_the_actor_is_named(narva):
    editor = EditorFactory(username="kadri")
    rule = record(narva, modes=["foot", "car", "bus", "car"], actor=editor)
    assert rule.modes == ["bus", "car", "foot"]
    assert (rule.actor, rule.actor_label) == (editor, "kadri")
    assert record(narva, modes=None, who="nobody").modes is None


def test_the_same_rule_is_recorded_once(narva):
    first = record(narva)
    again = record(narva, modes=["foot"], note_en="typed again")
    assert again.pk == first.pk
    assert CrossingAccessRule.objects.count() == 1
    # Another source, or other terms, is another claim.
    record(narva, hours="07:00–23:00")
    record(narva, source_url="https://interfax.com/newsroom/top-stories/101551/")
    assert CrossingAccessRule.objects.count() == 3


def test_rules_are_append_only_in_the_database(narva):
    rule = record(narva)
    with pytest.raises(DatabaseError), transaction.atomic():
        CrossingAccessRule.objects.filter(pk=rule.pk).update(modes=["car"])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            CrossingAccessRule.objects.filter(pk=rule.pk).delete()
    rule.refresh_from_db()
    assert rule.modes == ["foot"]


def test_before_the_first_rule_a_side_is_absent_and_the_newer_rule_wins(narva):
    record(narva, valid_from=datetime(2023, 9, 13, 7, tzinfo=UTC), modes=None)
    record(narva, valid_from=datetime(2024, 1, 31, 22, tzinfo=UTC))
    record(
        narva,
        valid_from=datetime(2024, 4, 30, 21, tzinfo=UTC),
        hours="07:00–23:00",
        source_url="https://interfax.com/newsroom/top-stories/101551/",
    )
    record(narva, side="ru", valid_from=datetime(2024, 1, 31, 21, tzinfo=UTC))

    assert access_at(moment("2023-09-01"), crossings=[narva.pk]) == {}
    autumn = access_at(moment("2023-10-01"))[narva.pk]
    assert set(autumn) == {"neighbour"}
    assert autumn["neighbour"].modes is None
    assert autumn["neighbour"].vehicles_refused == "ru-registered"
    spring = access_at(moment("2024-03-01"))[narva.pk]
    assert spring["neighbour"].modes == frozenset({"foot"})
    assert spring["neighbour"].hours == ""
    assert spring["ru"].modes == frozenset({"foot"})
    summer = access_at(moment("2025-06-01"))[narva.pk]["neighbour"]
    assert (summer.hours, summer.source_url) == (
        "07:00–23:00",
        "https://interfax.com/newsroom/top-stories/101551/",
    )
    assert summer.valid_from == datetime(2024, 4, 30, 21, tzinfo=UTC)


def test_a_tie_goes_to_the_rule_recorded_last(narva):
    record(narva, modes=["foot"])
    record(narva, modes=["bus", "foot"], source_url="https://example.org/later")
    access = access_at(moment("2024-03-01"))[narva.pk]["neighbour"]
    assert access.modes == frozenset({"bus", "foot"})


def test_one_query_for_every_crossing_and_side(narva, django_assert_num_queries):
    crossings = [narva, *(CrossingFactory() for _ in range(6))]
    for i, crossing in enumerate(crossings):
        for day in (1, 2, 3):
            record(
                crossing,
                valid_from=datetime(2024, 2, day, tzinfo=UTC),
                hours=f"{day:02d}:00–23:00",
            )
            record(
                crossing, side="ru", valid_from=datetime(2024, 2, day, i, tzinfo=UTC)
            )
    with django_assert_num_queries(1):
        every = access_at(moment("2024-06-01"))
    assert len(every) == 7
    assert {a["neighbour"].hours for a in every.values()} == {"03:00–23:00"}
    with django_assert_num_queries(1):
        some = access_at(moment("2024-02-02"), crossings=[narva.pk, crossings[1].pk])
    assert set(some) == {narva.pk, crossings[1].pk}
    assert some[narva.pk]["neighbour"].hours == "02:00–23:00"

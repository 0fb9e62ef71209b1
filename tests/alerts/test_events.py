"""Events are written from what the write paths record, through the outbox in
the same transaction, once per source row however often the task runs."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from advisories.services import advisories_sync
from advisories.sources.parsing import ParsedAdvisory
from alerts.models import Delivery, Event, EventKind
from outbox.models import OutboxMessage
from routes.entry.models import RuleSource
from routes.entry.services import RuleTerms, entry_rule_record
from routes.services import crossing_update_record
from tests.alerts.conftest import run_outbox
from tests.factories import AdvisorySourceFactory, CrossingFactory

pytestmark = pytest.mark.django_db

SOURCE = "https://t.me/exitwatch_border/101"


def record(crossing, **values):
    return crossing_update_record(
        crossing=crossing, source_kind="staff", source_url=SOURCE, **values
    )


def test_a_status_change_is_recorded_with_the_update_and_becomes_one_event(
    crossing, dns, subscribe
):
    subscription = subscribe("https://hooks.partner.example/in")
    update = record(crossing, status="closed", note="Closed by the Georgian side.")
    [message] = OutboxMessage.objects.all()
    assert (message.task, message.kwargs) == (
        "alerts.tasks.event_from_update",
        {"update_id": update.pk},
    )
    assert Event.objects.count() == 0  # not before the task runs

    run_outbox()
    event = Event.objects.get()
    assert (event.kind, event.crossing, event.country) == (
        EventKind.STATUS_CHANGE,
        crossing,
        "GE",
    )
    assert event.occurred_at == update.observed_at
    assert event.payload["status"] == {"old": "unknown", "new": "closed"}
    assert event.payload["claim"] == {"side": "both", "status": "closed"}
    assert event.payload["crossing"]["slug"] == "upper-lars"
    assert event.payload["source"] == {"kind": "staff", "url": SOURCE}
    assert event.payload["note_en"] == "Closed by the Georgian side."
    assert event.webhook_id == f"msg_{event.public_id.hex}"
    [delivery] = Delivery.objects.all()
    assert (delivery.subscription, delivery.event) == (subscription, event)
    assert delivery.next_attempt_at == event.recorded_at


def test_the_outbox_sending_a_message_twice_makes_one_event_and_one_delivery(
    crossing, dns, subscribe
):
    subscribe("https://hooks.partner.example/in")
    record(crossing, status="closed")
    assert run_outbox() == 1
    assert run_outbox(again=True) == 1  # the same message, handed over again
    assert Event.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_a_threshold_event_sent_twice_is_made_and_delivered_once(
    crossing, dns, subscribe
):
    subscribe("https://hooks.partner.example/in", wait_threshold_minutes={"car": 60})
    record(crossing, waits={"car": 120})
    run_outbox()
    run_outbox(again=True)
    assert list(Event.objects.values_list("kind", "direction")) == [
        ("wait_threshold", "over")
    ]
    assert Delivery.objects.count() == 1


def test_a_rolled_back_write_leaves_nothing_to_send(crossing):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(crossing, status="closed")
        raise RuntimeError("the request failed after the write")
    assert not OutboxMessage.objects.exists()


def test_a_claim_that_leaves_the_stricter_status_alone_is_no_status_change(crossing):
    record(crossing, status="closed", side="neighbour")
    record(crossing, status="open", side="ru")  # the neighbour still closed
    record(crossing, status="open", side="neighbour")
    run_outbox()
    changes = [
        e.payload["status"]
        for e in Event.objects.filter(kind=EventKind.STATUS_CHANGE).order_by("id")
    ]
    assert changes == [
        {"old": "unknown", "new": "closed"},
        {"old": "closed", "new": "open"},
    ]


def test_an_old_observation_that_changed_nothing_sends_nothing(crossing):
    record(crossing, status="open")
    OutboxMessage.objects.all().delete()
    old = record(
        crossing, waits={"car": 30}, observed_at=timezone.now() - timedelta(hours=5)
    )
    assert not old.applied
    assert not OutboxMessage.objects.exists()


def test_a_wait_only_report_is_no_status_change(crossing):
    record(crossing, status="open")
    record(crossing, waits={"car": 45})
    run_outbox()
    assert Event.objects.filter(kind=EventKind.STATUS_CHANGE).count() == 1


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        ({}, True),
        ({"crossings": ["upper-lars"]}, True),
        ({"crossings": ["narva"]}, False),
        ({"countries": ["GE"]}, True),
        ({"countries": ["EE"], "crossings": ["upper-lars"]}, True),
        ({"countries": ["EE"]}, False),
        ({"kinds": ["advisory_level"]}, False),
        ({"kinds": ["status_change"], "countries": ["GE"]}, True),
    ],
)
def test_a_subscription_hears_only_what_its_filters_ask_for(
    crossing, dns, subscribe, filters, wanted
):
    CrossingFactory(slug="narva", country="EE")
    subscribe("https://hooks.partner.example/in", **filters)
    record(crossing, status="closed")
    run_outbox()
    assert Delivery.objects.exists() is wanted


def test_a_paused_subscription_gets_no_new_deliveries(crossing, dns, subscribe):
    subscription = subscribe("https://hooks.partner.example/in")
    subscription.paused_at = timezone.now()
    subscription.save()
    record(crossing, status="closed")
    run_outbox()
    assert Event.objects.count() == 1
    assert not Delivery.objects.exists()


def advisory(level, title):
    return ParsedAdvisory(
        country="GE",
        level=level,
        level_text=f"Level {level}",
        title=title,
        summary="",
        body="",
        url="https://travel.state.gov/georgia",
        published_at=None,
    )


def test_an_advisory_whose_level_moves_makes_an_event_new_and_text_edits_do_not(
    dns, subscribe
):
    subscribe("https://hooks.partner.example/in", countries=["GE"])
    source = AdvisorySourceFactory()
    advisories_sync(source=source, items=[advisory(2, "Georgia")])
    advisories_sync(source=source, items=[advisory(2, "Georgia, reworded")])
    assert not OutboxMessage.objects.exists()
    advisories_sync(source=source, items=[advisory(3, "Georgia")])
    run_outbox()
    event = Event.objects.get()
    assert (event.kind, event.country, event.crossing) == ("advisory_level", "GE", None)
    assert event.payload["level"] == {"old": 2, "new": 3}
    assert event.payload["issuer"]["key"] == source.key
    assert Delivery.objects.count() == 1


def test_a_curated_entry_rule_makes_an_event_and_the_visa_table_does_not(
    dns, subscribe
):
    subscribe("https://hooks.partner.example/in", kinds=["entry_rule"])
    moment = timezone.now() - timedelta(days=1)
    entry_rule_record(
        destination="GE",
        valid_from=moment,
        terms=RuleTerms(visa="free", free_days=365),
        source_kind=RuleSource.BASELINE,
        source_url="https://www.passportindex.org/",
    )
    assert not OutboxMessage.objects.exists()
    rule, created = entry_rule_record(
        destination="GE",
        valid_from=moment,
        terms=RuleTerms(visa="free", free_days=365, internal_passport_ok=False),
        source_kind=RuleSource.OFFICIAL,
        source_url="https://www.geoconsul.gov.ge/",
        note_en="A foreign passport is needed.",
    )
    assert created
    run_outbox()
    event = Event.objects.get()
    assert (event.kind, event.country, event.source_id) == ("entry_rule", "GE", rule.pk)
    assert event.payload["internal_passport_ok"] is False
    assert event.payload["destination_name_ru"] == "Грузия"
    assert Delivery.objects.count() == 1


def test_events_are_append_only(crossing):
    record(crossing, status="closed")
    run_outbox()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Event.objects.update(country="EE")


def test_a_change_recorded_long_after_it_happened_is_kept_but_sent_to_nobody(
    crossing, dns, subscribe
):
    # A seed or an archive filled in today: history, not news.
    subscribe("https://hooks.partner.example/in")
    record(
        crossing,
        status="closed",
        observed_at=timezone.now() - timedelta(days=3),
    )
    # No event is even made for it (the seed loads hundreds of such rows).
    assert OutboxMessage.objects.count() == 0
    run_outbox()
    assert Event.objects.count() == 0
    assert Delivery.objects.count() == 0
    # Today's change is news again.
    record(crossing, status="open")
    run_outbox()
    assert Delivery.objects.count() == 1

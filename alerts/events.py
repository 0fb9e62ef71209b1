"""Writes for events: what one recorded row means for partners.

Each function takes the id of a row a write path recorded (a crossing update,
an advisory revision, a curated entry rule), makes its events and the
deliveries to the subscriptions that want them, all in one transaction, and
returns the ids of the new deliveries. Each is idempotent: events are unique
per source row (alerts.models.Event) and a wait state remembers the newest
update it has seen, so the outbox sending a task twice makes nothing twice.

Wait thresholds have hysteresis. "Over N minutes" fires once when a mode's wait
goes above N (strictly), and not again while reports stay above the line it
must drop below; "back under" fires once when the wait falls below N minus a
margin of max(30 minutes, 10 % of N), rounded up. For N = 360 the margin is 36:
waits of 350, 370, 365, 380, 340, 300 fire "over" at 370 and "back under" at
300, nothing else. Reports hovering around N in steps of a few minutes (one
traveller says 6 h 5 min, the next 5 h 55 min) would otherwise fire on every
report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from advisories.models import AdvisoryRevision
from alerts.models import (
    Delivery,
    Direction,
    Event,
    EventKind,
    Subscription,
    WaitState,
)
from alerts.selectors import active_subscriptions, status_after
from exitwatch.lib.formatting import iso_z
from routes.entry.models import EntryRule, RuleSource, destination_names
from routes.models import WAIT_MODES, BorderCrossing, CrossingUpdate

WAIT_MARGIN_MINUTES = 30
WAIT_MARGIN_SHARE = 0.10
# An advisory revision is an event only when it moved the level.
LEVEL_CHANGES = (AdvisoryRevision.Change.LEVEL_UP, AdvisoryRevision.Change.LEVEL_DOWN)


# What else a status change sets off, in the event's own transaction: each
# listener gets the new Event. Apps that build on alerts (alerts.telegram)
# register themselves from their AppConfig.ready, so alerts imports none of them.
STATUS_CHANGE_LISTENERS: list[Callable[[Event], None]] = []


def status_change_listen(listener: Callable[[Event], None]) -> None:
    """Call `listener(event)` for every new status_change event that is news
    (Event.is_news), once each."""
    if listener not in STATUS_CHANGE_LISTENERS:
        STATUS_CHANGE_LISTENERS.append(listener)


def wait_margin(threshold: int) -> int:
    """How far under its threshold a wait must fall to fire "back under"."""
    return max(WAIT_MARGIN_MINUTES, math.ceil(threshold * WAIT_MARGIN_SHARE))


def _crossing_data(crossing: BorderCrossing) -> dict[str, str]:
    return {
        "slug": crossing.slug,
        "name_en": crossing.name_en,
        "name_ru": crossing.name_ru,
        "country": crossing.country.code,
    }


def _update_data(update: CrossingUpdate) -> dict[str, Any]:
    """What every event from a crossing update says of the observation."""
    return {
        "crossing": _crossing_data(update.crossing),
        "observed_at": iso_z(update.observed_at),
        "source": {"kind": update.source_kind, "url": update.source_url},
        "note_en": update.note,
        "note_ru": update.note_ru,
    }


def _deliver(event: Event, subscriptions: Iterable[Subscription]) -> list[int]:
    """A delivery of `event` to each subscription; ids of those not there yet.
    History being filled in is not news (Event.is_news): nobody is sent it."""
    created: list[int] = []
    if not event.is_news:
        return created
    for subscription in subscriptions:
        delivery, new = Delivery.objects.get_or_create(
            subscription=subscription,
            event=event,
            defaults={"next_attempt_at": event.recorded_at},
        )
        if new:
            created.append(delivery.pk)
    return created


def _event(
    *, kind: str, source_id: int, defaults: dict[str, Any], **key: Any
) -> tuple[Event, bool]:
    return Event.objects.get_or_create(
        kind=kind, source_id=source_id, **key, defaults=defaults
    )


@transaction.atomic
def events_from_update(*, update_id: int) -> list[int]:
    """The status change and wait thresholds one crossing update brings."""
    update = (
        CrossingUpdate.objects.select_related("crossing").filter(pk=update_id).first()
    )
    if update is None or not update.applied:
        return []
    crossing = update.crossing
    country = crossing.country.code
    subscriptions = active_subscriptions()
    deliveries: list[int] = []
    new_status = status_after(update)
    if new_status != update.previous_status:
        event, created = _event(
            kind=EventKind.STATUS_CHANGE,
            source_id=update.pk,
            defaults={
                "crossing": crossing,
                "country": country,
                "occurred_at": update.observed_at,
                "payload": {
                    **_update_data(update),
                    "status": {"old": update.previous_status, "new": new_status},
                    "claim": {"side": update.side, "status": update.status},
                    "waits": update.waits,
                },
            },
        )
        if created:
            wanted = [
                s
                for s in subscriptions
                if s.matches(
                    kind=event.kind, crossing_slug=crossing.slug, country=country
                )
            ]
            deliveries += _deliver(event, wanted)
            # History being filled in is told to nobody (Event.is_news).
            for listener in STATUS_CHANGE_LISTENERS if event.is_news else ():
                listener(event)
    for subscription in subscriptions:
        if subscription.wait_threshold_minutes and subscription.matches(
            kind=EventKind.WAIT_THRESHOLD, crossing_slug=crossing.slug, country=country
        ):
            deliveries += _wait_events(update, subscription)
    return deliveries


def _newer(update: CrossingUpdate, state: WaitState) -> bool:
    if state.last_observed_at is None:
        return True
    return (update.observed_at, update.pk) > (
        state.last_observed_at,
        state.last_update_id,
    )


def wait_state_step(
    *, subscription: Subscription, update: CrossingUpdate, mode: str, threshold: int
) -> str:
    """Move one (subscription, crossing, mode) wait state by one update; the
    direction it crossed its threshold in, or "" if it did not.

    The state row is locked while it changes, so two tasks never both see it
    under and both fire "over"; an update older than the newest one the state
    has seen (a task that ran late) changes nothing.
    """
    wait = getattr(update, f"wait_{mode}")
    if wait is None:  # no figure: nothing is known to have crossed anything
        return Direction.NONE
    # Made first, then locked: select_for_update cannot lock a missing row.
    WaitState.objects.get_or_create(
        subscription=subscription, crossing_id=update.crossing_id, mode=mode
    )
    state = WaitState.objects.select_for_update().get(
        subscription=subscription, crossing_id=update.crossing_id, mode=mode
    )
    if not _newer(update, state):
        return Direction.NONE
    direction = Direction.NONE
    if not state.over and wait > threshold:
        state.over, direction = True, Direction.OVER
    elif state.over and wait < threshold - wait_margin(threshold):
        state.over, direction = False, Direction.UNDER
    state.last_update_id = update.pk
    state.last_observed_at = update.observed_at
    state.save(update_fields=["over", "last_update_id", "last_observed_at"])
    return direction


def _wait_events(update: CrossingUpdate, subscription: Subscription) -> list[int]:
    deliveries = []
    for mode in WAIT_MODES:  # one order everywhere: locks taken in step
        threshold = subscription.wait_threshold_minutes.get(mode)
        if threshold is None:
            continue
        direction = wait_state_step(
            subscription=subscription, update=update, mode=mode, threshold=threshold
        )
        if not direction:
            continue
        wait = getattr(update, f"wait_{mode}")
        event, _created = _event(
            kind=EventKind.WAIT_THRESHOLD,
            source_id=update.pk,
            mode=mode,
            threshold_minutes=threshold,
            direction=direction,
            defaults={
                "crossing": update.crossing,
                "country": update.crossing.country.code,
                "occurred_at": update.observed_at,
                "payload": {
                    **_update_data(update),
                    "mode": mode,
                    "wait_minutes": wait,
                    "threshold_minutes": threshold,
                    "direction": direction,
                    "back_under_below_minutes": threshold - wait_margin(threshold),
                },
            },
        )
        # Another subscription with the same threshold may have made the event.
        deliveries += _deliver(event, [subscription])
    return deliveries


@transaction.atomic
def events_from_advisory_revision(*, revision_id: int) -> list[int]:
    """An advisory_level event when the revision raised or lowered the level."""
    revision = (
        AdvisoryRevision.objects.select_related("advisory__source")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None or revision.change not in LEVEL_CHANGES:
        return []
    advisory = revision.advisory
    source = advisory.source
    before = (
        AdvisoryRevision.objects.filter(advisory=advisory, pk__lt=revision.pk)
        .order_by("-pk")
        .values_list("level", flat=True)
        .first()
    )
    country = advisory.target_country.code
    event, created = _event(
        kind=EventKind.ADVISORY_LEVEL,
        source_id=revision.pk,
        defaults={
            "country": country,
            "occurred_at": revision.published_at or revision.recorded_at,
            "payload": {
                "issuer": {
                    "key": source.key,
                    "name_en": source.name_en,
                    "name_ru": source.name_ru,
                    "country": source.issuer.code,
                },
                "country": country,
                "level": {"old": before, "new": revision.level},
                "level_text": revision.level_text,
                "title": revision.title,
                "summary": revision.summary,
                "url": advisory.url,
                "published_at": iso_z(revision.published_at),
            },
        },
    )
    return _deliver_by_country(event, created)


def _deliver_by_country(event: Event, created: bool) -> list[int]:
    if not created:
        return []
    wanted = [
        s
        for s in active_subscriptions()
        if s.matches(kind=event.kind, crossing_slug="", country=event.country)
    ]
    return _deliver(event, wanted)


@transaction.atomic
def events_from_entry_rule(*, rule_id: int) -> list[int]:
    """An entry_rule event for a curated rule (the visa table's are not news)."""
    rule = EntryRule.objects.filter(pk=rule_id).first()
    if rule is None or rule.source_kind == RuleSource.BASELINE:
        return []
    name_en, name_ru = destination_names(rule.destination)
    event, created = _event(
        kind=EventKind.ENTRY_RULE,
        source_id=rule.pk,
        defaults={
            "country": rule.destination,
            "occurred_at": rule.recorded_at,
            "payload": {
                "destination": rule.destination,
                "destination_name_en": name_en,
                "destination_name_ru": name_ru,
                "citizenship": rule.citizenship,
                "valid_from": iso_z(rule.valid_from),
                "visa": rule.visa,
                "free_days": rule.free_days,
                "period_days": rule.period_days,
                "internal_passport_ok": rule.internal_passport_ok,
                "schengen_visa_holders_refused": rule.schengen_visa_holders_refused,
                "registration_days": rule.registration_days,
                "source": {"kind": rule.source_kind, "url": rule.source_url},
                "note_en": rule.note_en,
                "note_ru": rule.note_ru,
            },
        },
    )
    return _deliver_by_country(event, created)

"""Writes for crossings. Every change of a crossing goes through this module.

`crossing_update_record` is the one write path for a crossing's state: it validates,
appends an immutable CrossingUpdate, moves the crossing's current state in the same
transaction and, on commit, marks the public map snapshot stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exitwatch.lib.observed import NEWS_WINDOW
from exitwatch.lib.snapshot import snapshot_mark_stale
from outbox.services import outbox_enqueue
from routes.models import (
    CROSSING_NAME_FIELDS,
    SIDE_FACT_FIELDS,
    SIDE_PREFIX,
    SIDES,
    WAIT_MODES,
    BorderCrossing,
    CrossingUpdate,
    Side,
    combined_status,
)
from routes.validation import update_validate

# What makes the events of a recorded update (alerts.tasks).
UPDATE_EVENT_TASK = "alerts.tasks.event_from_update"

# Reference data a superuser may edit; the state fields are never among them.
DETAIL_FIELDS = (
    *CROSSING_NAME_FIELDS,
    "latitude",
    "longitude",
    "kind",
    "allows_car",
    "allows_bus",
    "allows_truck",
    "allows_pedestrian",
    "allows_bicycle",
    "hours",
    "restrictions_en",
    "restrictions_ru",
    "source",
    "stale_after_minutes",
    "official_id",
    "de_facto",
    "coord_source",
    "coord_override",
)


class CrossingChangedError(Exception):
    """The crossing was changed by someone else since the caller read it."""

    def __init__(self, crossing: BorderCrossing) -> None:
        self.crossing = crossing
        self.current_version = crossing.version
        super().__init__(
            _(
                "%(name)s was changed by %(who)s while you were editing it. "
                "Reload the page to see their change, then apply yours again."
            )
            % {"name": crossing.name, "who": crossing.last_actor_label or _("someone")}
        )


@transaction.atomic
def crossing_update_record(
    *,
    crossing: BorderCrossing,
    source_kind: str,
    status: str | None = None,
    side: str | None = None,
    facts: Mapping[str, Any] | None = None,
    waits: Mapping[str, int | None] | None = None,
    queue_length: int | None = None,
    note: str = "",
    note_ru: str = "",
    source_url: str = "",
    observed_at: datetime | None = None,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    expected_version: int | None = None,
    wait_basis: Mapping[str, dict[str, Any]] | None = None,
) -> CrossingUpdate:
    """Record one observation of a crossing and make it the current state.

    A status is a claim about one side of the border (`side`: "ru" or
    "neighbour") or, by default, about the crossing as a whole ("both"). Each
    side keeps its newest claim; the crossing's status is the stricter of the
    two, so no claim about one side can open a crossing the other side closed.
    `facts` are that side's published facts (SIDE_FACT_FIELDS). Fields left out
    (status None, a mode missing from `waits`) keep their last value; a wait
    given as None clears it. An observation older than what is known is kept in
    history but does not replace it.
    Raises ValidationError (field messages) or CrossingChangedError.
    """
    now = timezone.now()
    waits = dict(waits or {})
    facts = dict(facts or {})
    observed_at = observed_at or now
    if side is None:
        side = Side.BOTH if status is not None else Side.NONE
    update_validate(
        status=status,
        waits=waits,
        queue_length=queue_length,
        note=note,
        note_ru=note_ru,
        source_kind=source_kind,
        source_url=source_url,
        observed_at=observed_at,
        now=now,
        side=side,
        facts=facts,
    )
    observed_at = min(observed_at, now)
    # `wait_basis` says what a mode's new wait rests on (e.g. a median
    # of traveller reports). A mode given a wait without one rests on this
    # source alone; modes not in `waits` keep their basis, like their waits.
    wait_basis = dict(wait_basis or {})
    if not set(wait_basis) <= {m for m, v in waits.items() if v is not None}:
        raise ValidationError(
            {"wait_basis": [_("A basis is only given for a wait being reported.")]}
        )

    current = _lock(crossing, expected_version)

    latest = current.last_observed_at is None or observed_at >= current.last_observed_at
    state: dict[str, Any] = _side_state(current, side, status, facts, observed_at)
    state.update(
        {
            f"{prefix}_{field}": value
            for prefix in _applied_prefixes(current, side, observed_at)
            for field, value in (
                ("source_kind", source_kind),
                ("source_url", source_url),
                ("note", note),
                ("note_ru", note_ru),
            )
        }
    )
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    update = CrossingUpdate(
        crossing=current,
        side=side,
        facts=facts or None,
        status=status or state.get("status", current.status),
        previous_status=current.status,
        queue_length=queue_length if queue_length is not None else current.queue_length,
        note=note,
        note_ru=note_ru,
        source_kind=source_kind,
        source_url=source_url,
        observed_at=observed_at,
        recorded_at=now,
        actor=actor,
        actor_label=actor_label or source_kind,
        applied=latest or bool(state),
        wait_basis={
            **{m: b for m, b in (current.wait_basis or {}).items() if m not in waits},
            **{
                m: {"source_kind": source_kind, **wait_basis.get(m, {})}
                for m, v in waits.items()
                if v is not None
            },
        }
        or None,
        **{
            f"wait_{mode}": waits[mode]
            if mode in waits
            else getattr(current, f"wait_{mode}")
            for mode in WAIT_MODES
        },
    )
    # The row's check constraints are the database's to enforce, and
    # update_validate has given their messages already; Django would ask the
    # database once per constraint to say the same.
    update.full_clean(exclude=["crossing", "actor"], validate_constraints=False)
    update.save()
    if update.applied and update.observed_at >= update.recorded_at - NEWS_WINDOW:
        # Partners' webhooks hear of it (alerts, by task name: this app does not
        # know it): recorded with the row, sent after commit, never lost. History
        # filled in (a seed, an archive) is news to nobody: no event.
        outbox_enqueue(task=UPDATE_EVENT_TASK, kwargs={"update_id": update.pk})

    if latest:
        state.update(
            {
                "queue_length": update.queue_length,
                "note": note,
                "last_observed_at": observed_at,
                "last_recorded_at": now,
                "last_source_kind": source_kind,
                "last_source_url": source_url,
                "last_actor_label": update.actor_label,
                "wait_basis": update.wait_basis,
                **{
                    f"wait_{mode}": getattr(update, f"wait_{mode}")
                    for mode in WAIT_MODES
                },
            }
        )
    if state:
        _save_version(current, state, crossing)
    else:
        # Nothing current moved, but the history did: maps of past moments
        # are built from it.
        snapshot_mark_stale()
    return update


def _applied_prefixes(
    current: BorderCrossing, side: str, observed_at: datetime
) -> list[str]:
    """The sides (as field prefixes) whose state this observation replaces: those
    it is about whose last claim is not newer than it."""
    about = SIDES if side == Side.BOTH else (side,) if side in SIDES else ()
    prefixes = []
    for one in about:
        prefix = SIDE_PREFIX[one]
        known = getattr(current, f"{prefix}_observed_at")
        if known is None or observed_at >= known:
            prefixes.append(prefix)
    return prefixes


def _side_state(
    current: BorderCrossing,
    side: str,
    status: str | None,
    facts: Mapping[str, Any],
    observed_at: datetime,
) -> dict[str, Any]:
    """The crossing fields a side's claim changes: that side's status and date,
    its published facts, and the combined status (with when it was claimed)."""
    prefixes = _applied_prefixes(current, side, observed_at)
    if not prefixes:
        return {}
    state: dict[str, Any] = {}
    for prefix in prefixes:
        state[f"{prefix}_status"] = status
        state[f"{prefix}_observed_at"] = observed_at
    for key, field in SIDE_FACT_FIELDS.items():
        if key in facts:
            state[field] = facts[key]
    # The map point follows the official point unless it was set apart from
    # it (and coord_source says why).
    if not current.coord_override and "latitude" in facts and "longitude" in facts:
        state["latitude"] = facts["latitude"]
        state["longitude"] = facts["longitude"]
    sides = {
        prefix: (
            state.get(f"{prefix}_status", getattr(current, f"{prefix}_status")),
            state.get(
                f"{prefix}_observed_at", getattr(current, f"{prefix}_observed_at")
            ),
        )
        for prefix in SIDE_PREFIX.values()
    }
    state["status"], state["status_observed_at"] = combined_status(
        sides["ru"], sides["neighbour"]
    )
    return state


@transaction.atomic
def crossing_edit_details(
    *,
    crossing: BorderCrossing,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> BorderCrossing:
    """Change a crossing's reference data (names, place, kind, modes, reference).

    The state fields are not editable here: they change only through
    crossing_update_record, so every change of state has its history row.
    """
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(
            {f: [_("This field cannot be edited here.")] for f in sorted(unknown)}
        )
    current = _lock(crossing, expected_version)
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    _save_version(current, changes, crossing)
    return current


def _lock(crossing: BorderCrossing, expected_version: int | None) -> BorderCrossing:
    """The crossing's row, locked until the transaction ends; CrossingChangedError
    if it is no longer at the version the caller read."""
    current = BorderCrossing.objects.select_for_update().get(pk=crossing.pk)
    if expected_version is not None and current.version != expected_version:
        raise CrossingChangedError(current)
    return current


def _save_version(
    current: BorderCrossing, values: Mapping[str, Any], crossing: BorderCrossing
) -> None:
    """Write `values` to the locked row as its next version and mark the map stale.

    The caller's object is kept in step, so it can be rendered or saved again.
    """
    for field, value in values.items():
        setattr(current, field, value)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    snapshot_mark_stale()
    for field in (*values, "version"):
        setattr(crossing, field, getattr(current, field))


@transaction.atomic
def crossing_create(*, slug: str, details: Mapping[str, Any]) -> BorderCrossing:
    """Add a crossing with its reference data (DETAIL_FIELDS). Its state starts
    unknown and changes only through crossing_update_record.
    Raises ValidationError (field messages)."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(
            {f: [_("This field cannot be edited here.")] for f in sorted(unknown)}
        )
    crossing = BorderCrossing(slug=slug, **details)
    crossing.full_clean(validate_constraints=False)
    # A new row's state fields hold their defaults, so of its check
    # constraints only the point's can fail; each costs a query.
    crossing.validate_constraints(exclude=NOT_THE_POINT)
    crossing.save()
    snapshot_mark_stale()
    return crossing


NOT_THE_POINT = {
    f.name
    for f in BorderCrossing._meta.fields
    if f.name not in ("latitude", "longitude")
}

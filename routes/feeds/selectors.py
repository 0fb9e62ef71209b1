"""Reads behind the Atom feeds: which history rows are changes, and the one
cheap query that says whether anything new was recorded.

A crossing's history rows carry what was claimed, not what changed, so a
change is found by comparing each row with the one before it, in SQL (window
functions). Comparing costs time in proportion to the rows compared, so the
feeds of every crossing and of a country compare only the newest
HISTORY_WINDOW rows, together with each crossing's last claims from before them
(the "seeds", which the slice's first claims are compared with); a crossing's
own feed compares all of its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Lead

from advisories.models import AdvisoryRevision
from routes.models import WAIT_MODES, BorderCrossing, CrossingUpdate, Side, Status

FEED_ENTRIES = 100
# The newest history rows the feeds of all crossings and of a country compare:
# weeks of a crisis' reports, months of quiet (docs/feeds.md).
HISTORY_WINDOW = 20_000

# The order a crossing's history is read in (crossings_at reads it alike): the
# newest observation is the state, a later id breaking a tie.
HISTORY_ORDER = [F("observed_at").asc(), F("id").asc()]
# A wait the comparison can tell from "no figure": waits are never negative.
NO_WAIT = -1
# The rows whose status is a claim about each side.
SIDE_CLAIMS = {
    "ru": (Side.RUSSIAN, Side.BOTH),
    "neighbour": (Side.NEIGHBOUR, Side.BOTH),
}
# What an entry says of a row and its crossing (routes.feeds.entries): the
# windows run over many rows, so each carries no more than this.
_ENTRY_FIELDS = (
    "status",
    "previous_status",
    "side",
    "note",
    "note_ru",
    "source_kind",
    "source_url",
    "observed_at",
    "recorded_at",
    "applied",
    *(f"wait_{mode}" for mode in WAIT_MODES),
    *(
        f"crossing__{field}"
        for field in (
            "slug",
            "name_en",
            "name_ru",
            "neighbour_name_en",
            "neighbour_name_ru",
            "country",
            "status",
        )
    ),
)


@dataclass(frozen=True)
class Marker:
    """The newest history row: what a feed's ETag and Last-Modified rest on."""

    id: int
    recorded_at: datetime


def _newest(queryset: QuerySet) -> Marker | None:
    # The primary key's index: one row, however long the history. Rows are
    # appended with the write's own clock, so the newest id is the newest
    # recorded_at (two writes committing in the other order are microseconds
    # apart; the ETag, which names the id, still tells them apart).
    row = queryset.order_by("-id").values_list("id", "recorded_at").first()
    return Marker(*row) if row else None


def crossing_updates_newest() -> Marker | None:
    """The newest crossing history row, whichever crossing it is about."""
    return _newest(CrossingUpdate.objects.all())


def advisory_revisions_newest() -> Marker | None:
    """The newest advisory revision, whichever advisory it is of."""
    return _newest(AdvisoryRevision.objects.all())


def _claims(*sides: str) -> Case:
    return Case(
        When(side__in=sides, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _status_changed() -> Q:
    """A row whose claim differs from the last claim about its side, or after
    which the crossing's combined status was not what it had been."""
    changed = Q()
    for prefix, sides in SIDE_CLAIMS.items():
        changed |= Q(side__in=sides) & ~Q(status=F(f"{prefix}_before"))
    return changed | ~Q(previous_status=F("combined_after"))


def _waits_changed() -> Q:
    changed = Q()
    for mode in WAIT_MODES:
        changed |= ~Q(**{f"wait_{mode}_now": F(f"wait_{mode}_before")})
    return changed


def _changes(
    rows: QuerySet[CrossingUpdate], *, waits: bool, limit: int, after_id: int = 0
) -> list[CrossingUpdate]:
    """The rows among `rows` with an id over `after_id` that changed something,
    newest observation first (rows at or under it are only compared with).

    Each row comes with what it changed from: `ru_before`/`neighbour_before`
    (the side's last claim, "unknown" before any), `combined_after` (the
    crossing's status once the row was recorded) and `wait_<mode>_before`.
    """
    per_crossing = [F("crossing_id")]
    annotations = {
        # The last claim about a side before this row: the rows that claim
        # something about the side form its partition.
        f"{prefix}_before": Coalesce(
            Window(
                Lag("status"),
                partition_by=[*per_crossing, _claims(*sides)],
                order_by=HISTORY_ORDER,
            ),
            Value(Status.UNKNOWN),
        )
        for prefix, sides in SIDE_CLAIMS.items()
    }
    # Every write records the combined status it found, so the next write's
    # `previous_status` is what this one left (the crossing's own status for
    # the last write): what the map showed, late rows and all. A slice runs
    # up to the newest row, so each of its rows' next write is in it.
    annotations["combined_after"] = Coalesce(
        Window(Lead("previous_status"), partition_by=per_crossing, order_by="id"),
        F("crossing__status"),
    )
    if waits:
        for mode in WAIT_MODES:
            annotations[f"wait_{mode}_now"] = Coalesce(
                f"wait_{mode}", Value(NO_WAIT), output_field=IntegerField()
            )
            annotations[f"wait_{mode}_before"] = Coalesce(
                Window(
                    Lag(f"wait_{mode}"),
                    partition_by=per_crossing,
                    order_by=HISTORY_ORDER,
                ),
                Value(NO_WAIT),
                output_field=IntegerField(),
            )
    changed = _status_changed()
    if waits:
        changed |= _waits_changed()
    # One flag, so the database filters on it after the windows are computed.
    flagged = rows.annotate(**annotations).annotate(
        is_change=Case(
            When(Q(id__gt=after_id) & changed, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    return list(
        flagged.filter(is_change=True)
        .select_related("crossing")
        .only(*_ENTRY_FIELDS)
        .order_by("-observed_at", "-id")[:limit]
    )


def _seeds(crossings: QuerySet[BorderCrossing], before_id: int) -> list[int]:
    """Per crossing, its last claim about each side (and about both) among the
    rows up to `before_id`: one query, an index seek per crossing and side."""
    annotations = {
        f"seed_{side or 'none'}": Subquery(
            CrossingUpdate.objects.filter(
                crossing_id=OuterRef("pk"), side=side, id__lte=before_id
            )
            .order_by("-observed_at", "-id")
            .values("id")[:1]
        )
        for side in (Side.RUSSIAN, Side.NEIGHBOUR, Side.BOTH)
    }
    rows = crossings.order_by().annotate(**annotations).values_list(*annotations)
    return sorted({pk for row in rows for pk in row if pk is not None})


def status_changes(
    *,
    newest: Marker | None,
    country: str | None = None,
    limit: int = FEED_ENTRIES,
    window: int = HISTORY_WINDOW,
) -> list[CrossingUpdate]:
    """The status changes among the newest `window` history rows (`newest` is
    crossing_updates_newest()), of one neighbour country's crossings with
    `country`, newest observation first. Two queries."""
    if newest is None:
        return []
    crossings = BorderCrossing.objects.all()
    if country is not None:
        crossings = crossings.filter(country=country)
    after_id = max(newest.id - window, 0)
    # An id range on the primary key, and the seeds by id: index reads only.
    rows = CrossingUpdate.objects.filter(
        Q(id__gt=after_id) | Q(id__in=_seeds(crossings, after_id))
    )
    if country is not None:
        rows = rows.filter(crossing__country=country)
    return _changes(rows, waits=False, limit=limit, after_id=after_id)


def crossing_changes(
    *, crossing: BorderCrossing, limit: int = FEED_ENTRIES
) -> list[CrossingUpdate]:
    """One crossing's status changes and changes of its waits, newest first."""
    return _changes(
        CrossingUpdate.objects.filter(crossing=crossing), waits=True, limit=limit
    )


def country_has_crossings(code: str) -> bool:
    return BorderCrossing.objects.filter(country=code).exists()


def advisory_changes(*, limit: int = FEED_ENTRIES) -> list[AdvisoryRevision]:
    """Advisory revisions, newest first, each with the level it replaced
    (`level_before`, None for an advisory's first)."""
    return list(
        AdvisoryRevision.objects.annotate(
            level_before=Window(
                Lag("level"),
                partition_by=[F("advisory_id")],
                order_by=[F("recorded_at").asc(), F("id").asc()],
            )
        )
        .select_related("advisory__source")
        .order_by("-recorded_at", "-id")[:limit]
    )

"""The access rules in force at a moment, per crossing and side."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from routes.access.models import CrossingAccessRule


@dataclass(frozen=True)
class SideAccess:
    """What one side of a crossing lets travellers do at a moment, and why we
    say so. `modes` None, `who` "" and `hours` "" mean the rule does not say."""

    side: str
    modes: frozenset[str] | None
    who: str
    vehicles_refused: str
    hours: str
    valid_from: datetime
    source_kind: str
    source_url: str
    note_en: str
    note_ru: str


def side_access(rule: CrossingAccessRule) -> SideAccess:
    return SideAccess(
        side=rule.side,
        modes=None if rule.modes is None else frozenset(rule.modes),
        who=rule.who,
        vehicles_refused=rule.vehicles_refused,
        hours=rule.hours,
        valid_from=rule.valid_from,
        source_kind=rule.source_kind,
        source_url=rule.source_url,
        note_en=rule.note_en,
        note_ru=rule.note_ru,
    )


def rules_in_force(
    at: datetime, *, crossings: Collection[int] = ()
) -> QuerySet[CrossingAccessRule]:
    """The newest rule per crossing and side valid at `at` (the latest
    recorded wins a tie), as one query: a window over the (crossing, side,
    -valid_from) index rather than a scan of every rule ever recorded."""
    rules = CrossingAccessRule.objects.filter(valid_from__lte=at)
    if crossings:
        rules = rules.filter(crossing_id__in=crossings)
    ranked = rules.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("crossing_id"), F("side")],
            order_by=[F("valid_from").desc(), F("id").desc()],
        )
    )
    return ranked.filter(rank=1).order_by("crossing_id", "side")


def access_at(
    at: datetime | None = None, *, crossings: Collection[int] = ()
) -> dict[int, dict[str, SideAccess]]:
    """Crossing id -> side ("ru"/"neighbour") -> the rule in force at `at`
    (default now), for every crossing or those given. One query whatever the
    number of crossings. A side with no rule valid at `at` is absent."""
    at = at or timezone.now()
    answer: dict[int, dict[str, SideAccess]] = {}
    for rule in rules_in_force(at, crossings=crossings):
        answer.setdefault(rule.crossing_id, {})[rule.side] = side_access(rule)
    return answer

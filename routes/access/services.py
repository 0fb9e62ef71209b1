"""The one write path for access rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exitwatch.lib.observed import (
    EARLIEST_OBSERVATION,
    NAIVE_TIME_MESSAGE,
    OFFSET_MESSAGE,
    offset_in_range,
)
from routes.access.models import (
    MAX_HOURS_LENGTH,
    SIDES,
    SOURCE_KINDS,
    AccessMode,
    CrossingAccessRule,
    VehicleRule,
    Who,
)
from routes.models import BorderCrossing

# A rule may be announced before it takes effect; further ahead than this it
# is a typo.
MAX_ANNOUNCED = timedelta(days=366)
MAX_NOTE_LENGTH = 4000
MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class AccessTerms:
    """What a rule says about one side; None or "" where its source is silent."""

    modes: tuple[str, ...] | None
    who: str
    vehicles_refused: str = ""
    hours: str = ""


def _as_modes(modes: Any) -> tuple[str, ...] | None:
    if modes is None:
        return None
    return tuple(sorted(set(modes)))


def rule_problems(
    *,
    side: str,
    valid_from: datetime | None,
    modes: Any,
    who: str,
    vehicles_refused: str,
    hours: str,
    source_kind: str,
    source_url: str,
    note_en: str = "",
    note_ru: str = "",
    now: datetime,
) -> dict[str, list[str]]:
    """Why a rule is refused, by field; {} when it may be recorded. Shared by
    the service, the admin's form and the API, so each says the same."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if side not in SIDES:
        add("side", _("Give the side: %(sides)s.") % {"sides": ", ".join(SIDES)})
    if modes is not None:
        if isinstance(modes, str | bytes) or not isinstance(modes, Iterable):
            add("modes", _("Give the ways to cross as a list."))
        else:
            unknown = [
                m for m in modes if not isinstance(m, str) or m not in AccessMode.values
            ]
            if unknown:
                add(
                    "modes",
                    _("Unknown way to cross %(value)s; known: %(known)s.")
                    % {
                        "value": ", ".join(repr(u) for u in unknown),
                        "known": ", ".join(AccessMode.values),
                    },
                )
            elif who == Who.NOBODY and modes:
                add("modes", _("A side closed to every traveller has no way to cross."))
            elif who in (Who.ANYONE, Who.BILATERAL) and not modes:
                add("modes", _("A side open to travellers needs a way to cross."))
    if who not in (*Who.values, ""):
        add("who", _("Unknown kind of traveller %(value)r.") % {"value": who})
    if vehicles_refused not in VehicleRule.values:
        add(
            "vehicles_refused",
            _("Unknown vehicle rule %(value)r.") % {"value": vehicles_refused},
        )
    if not isinstance(hours, str) or len(hours) > MAX_HOURS_LENGTH:
        add(
            "hours",
            _("Give the hours in at most %(max)d characters.")
            % {"max": MAX_HOURS_LENGTH},
        )
    if source_kind not in SOURCE_KINDS:
        add("source_kind", _("Unknown source kind %(value)r.") % {"value": source_kind})
    if not isinstance(source_url, str) or not source_url.startswith(
        ("https://", "http://")
    ):
        add("source_url", _("Give the address of the source."))
    elif len(source_url) > MAX_URL_LENGTH:
        add("source_url", _("The address is too long."))
    for field, note in (("note_en", note_en), ("note_ru", note_ru)):
        if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
            add(field, _("At most %(max)d characters.") % {"max": MAX_NOTE_LENGTH})
    if valid_from is None:
        add("valid_from", _("Give the moment the rule took effect."))
    elif timezone.is_naive(valid_from):
        add("valid_from", str(NAIVE_TIME_MESSAGE))
    elif not offset_in_range(valid_from):
        add("valid_from", str(OFFSET_MESSAGE))
    elif valid_from > now + MAX_ANNOUNCED:
        add("valid_from", _("A rule can start at most a year from now."))
    elif valid_from < EARLIEST_OBSERVATION:
        add(
            "valid_from",
            _("Rules before %(year)d are not tracked.")
            % {"year": EARLIEST_OBSERVATION.year},
        )
    return errors


def rule_terms(rule: CrossingAccessRule) -> AccessTerms:
    """What a recorded rule says, comparable with another's."""
    return AccessTerms(
        modes=_as_modes(rule.modes),
        who=rule.who,
        vehicles_refused=rule.vehicles_refused,
        hours=rule.hours,
    )


@transaction.atomic
def access_rule_record(
    *,
    crossing: BorderCrossing,
    side: str,
    valid_from: datetime,
    modes: list[str] | None,
    who: str,
    vehicles_refused: str = "",
    hours: str = "",
    source_kind: str,
    source_url: str,
    note_en: str = "",
    note_ru: str = "",
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
) -> tuple[CrossingAccessRule, bool]:
    """Record what one side of a crossing lets travellers do from `valid_from`:
    the whole of it, superseding the side's earlier rules from that moment;
    (rule, created). The same terms from the same source and moment are
    recorded once: a second call returns the first (a loader run twice writes
    nothing).

    Raises ValidationError with messages by field (unknown side, way to cross,
    traveller or vehicle rule; a time without a zone, before 2000 or over a
    year ahead; no source address); nothing is then written.
    """
    hours = hours.strip() if isinstance(hours, str) else hours
    errors = rule_problems(
        side=side,
        valid_from=valid_from,
        modes=modes,
        who=who,
        vehicles_refused=vehicles_refused,
        hours=hours,
        source_kind=source_kind,
        source_url=source_url,
        note_en=note_en,
        note_ru=note_ru,
        now=timezone.now(),
    )
    if errors:
        raise ValidationError(errors)
    terms = AccessTerms(_as_modes(modes), who, vehicles_refused, hours)
    same = CrossingAccessRule.objects.filter(
        crossing=crossing,
        side=side,
        valid_from=valid_from,
        source_url=source_url,
        who=who,
        vehicles_refused=vehicles_refused,
        hours=hours,
    )
    for rule in same:
        if rule_terms(rule) == terms:
            return rule, False
    rule = CrossingAccessRule.objects.create(
        crossing=crossing,
        side=side,
        valid_from=valid_from,
        modes=None if terms.modes is None else list(terms.modes),
        who=who,
        vehicles_refused=vehicles_refused,
        hours=hours,
        source_kind=source_kind,
        source_url=source_url,
        note_en=note_en,
        note_ru=note_ru,
        actor=actor,
        actor_label=actor_label
        or (actor.get_username() if actor is not None else source_kind),
    )
    return rule, True

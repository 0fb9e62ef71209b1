"""The checks of one crossing observation, before the write path writes it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from exitwatch.lib.observed import observed_at_problem
from routes.models import (
    MAX_UPDATE_NOTE_LENGTH,
    MAX_WAIT_MINUTES,
    SIDE_FACT_FIELDS,
    SIDES,
    WAIT_MODES,
    BorderCrossing,
    Side,
    SourceKind,
    Status,
)

# The longest queue anyone could count at one crossing: the worst on record
# (Upper Lars, September 2022) was some thousands of vehicles. More is a typo or
# a probe (2,147,483,647 was once published), not a queue.
MAX_QUEUE_LENGTH = 100_000
# Longest short form of opening hours ("09:00–21:00, closed Sundays").
MAX_HOURS_LENGTH = BorderCrossing._meta.get_field("hours").max_length


def update_validate(
    *,
    status: str | None,
    waits: Mapping[str, int | None],
    queue_length: int | None,
    note: str,
    note_ru: str,
    source_kind: str,
    source_url: str,
    observed_at: datetime,
    now: datetime,
    side: str,
    facts: Mapping[str, Any],
) -> None:
    """Check one observation before anything is written; ValidationError with
    messages by field (the API and the admin show them as they are)."""
    errors: dict[str, list[str]] = {}
    if status is not None and status not in Status.values:
        errors.setdefault("status", []).append(
            _("Unknown status %(value)r; use one of: %(choices)s.")
            % {"value": status, "choices": ", ".join(Status.values)}
        )
    for mode, minutes in waits.items():
        field = f"wait_{mode}"
        if mode not in WAIT_MODES:
            errors.setdefault("waits", []).append(
                _("Unknown mode %(mode)r; use one of: %(modes)s.")
                % {"mode": mode, "modes": ", ".join(WAIT_MODES)}
            )
        elif minutes is not None and (
            not isinstance(minutes, int)
            or isinstance(minutes, bool)
            or not 0 <= minutes <= MAX_WAIT_MINUTES
        ):
            errors.setdefault(field, []).append(
                _("Wait must be a whole number of minutes from 0 to %(max)d.")
                % {"max": MAX_WAIT_MINUTES}
            )
    if queue_length is not None and (
        not isinstance(queue_length, int)
        or isinstance(queue_length, bool)
        or not 0 <= queue_length <= MAX_QUEUE_LENGTH
    ):
        errors.setdefault("queue_length", []).append(
            _("Queue length must be a whole number of vehicles from 0 to %(max)d.")
            % {"max": MAX_QUEUE_LENGTH}
        )
    for field, text in (("note", note), ("note_ru", note_ru)):
        if len(text) > MAX_UPDATE_NOTE_LENGTH:
            errors.setdefault(field, []).append(
                _("Note is longer than %(max)d characters.")
                % {"max": MAX_UPDATE_NOTE_LENGTH}
            )
    if source_kind not in SourceKind.values:
        errors.setdefault("source_kind", []).append(
            _("Unknown source kind %(value)r.") % {"value": source_kind}
        )
    problem = observed_at_problem(observed_at, now=now)
    if problem:
        errors.setdefault("observed_at", []).append(problem)
    if side not in Side.values:
        errors.setdefault("side", []).append(
            _("Unknown side %(value)r; use one of: %(choices)s.")
            % {"value": side, "choices": ", ".join(v for v in Side.values if v)}
        )
    elif side and status is None:
        errors.setdefault("status", []).append(
            _("Say what the status of that side is.")
        )
    # A status is a claim: it needs a source or, failing one, a written reason.
    # A traveller's claim rests on the approved report it comes from.
    if (
        status is not None
        and source_kind != SourceKind.TRAVELLER
        and not source_url
        and not note.strip()
    ):
        errors.setdefault("source_url", []).append(
            _("Give a source URL or write in the note why the status changed.")
        )
    errors.update(_facts_problems(facts, side))
    if errors:
        raise ValidationError(errors)


def _facts_problems(facts: Mapping[str, Any], side: str) -> dict[str, list[str]]:
    if not facts:
        return {}
    problems: list[str] = []
    if side not in SIDES:
        problems.append(_("Facts belong to one side: say which."))
    unknown = sorted(set(facts) - set(SIDE_FACT_FIELDS))
    if unknown:
        problems.append(_("Unknown facts: %(names)s.") % {"names": ", ".join(unknown)})
    for key, kinds, allow_none in (
        ("hours", str, False),
        ("hours_text_ru", str, False),
        ("bilateral", bool, True),
        ("cargo_only", bool, False),
        ("latitude", (int, float), False),
        ("longitude", (int, float), False),
    ):
        if key not in facts:
            continue
        value = facts[key]
        if value is None and allow_none:
            continue
        if (
            isinstance(value, bool)
            and kinds is not bool
            or not isinstance(value, kinds)
        ):
            problems.append(_("%(name)s has the wrong type.") % {"name": key})
    if len(str(facts.get("hours", ""))) > MAX_HOURS_LENGTH:
        problems.append(
            _("The short hours are longer than %(max)d characters.")
            % {"max": MAX_HOURS_LENGTH}
        )
    for key, limit in (("latitude", 90), ("longitude", 180)):
        value = facts.get(key)
        if isinstance(value, (int, float)) and not -limit <= value <= limit:
            problems.append(_("%(name)s is out of range.") % {"name": key})
    return {"facts": problems} if problems else {}

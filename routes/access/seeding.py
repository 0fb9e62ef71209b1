"""Load access rules from a file: curated rules, and the Russian side of every
crossing as saved copies of the official checkpoint list state it.

The file (routes/seed/access/rules.json) is a JSON object:

    {"baseline": {"official_lists": "../rosgranstroy",
                  "crossings": "../crossings.json",
                  "source_url": "https://rosgranstroy.ru/api/map_data"},
     "rules": [{"crossings": ["ivangorod"], "side": "neighbour",
                "valid_from": "2024-02-01T00:00:00+02:00", "modes": ["foot"],
                "who": "", "vehicles_refused": "ru-registered", "hours": "",
                "source_url": "https://...", "note_en": "...", "note_ru": "...",
                "why": "how the date and the values were chosen"}, ...]}

or just the array of rules. Paths are relative to the file. Each curated rule
is recorded once per crossing it names, as the whole of that side's access
from `valid_from`. The baseline is optional: per saved copy of the list (dated
by the date in its file name, oldest first), each held crossing's Russian side
gets a rule when what the copy implies differs from the rule then in force.
All or nothing; loading the file again records nothing new.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from routes.access.models import AccessMode, CrossingAccessRule, Who
from routes.access.services import AccessTerms, access_rule_record, rule_terms
from routes.checkpoints.sources.rosgranstroy import (
    Checkpoint,
    OfficialListError,
    parse,
    short_hours,
)
from routes.models import BorderCrossing, CrossingKind, SourceKind
from routes.states import Side

REQUIRED = {"crossings", "side", "valid_from", "modes", "who", "source_url", "why"}
OPTIONAL = {"vehicles_refused", "hours", "note_en", "note_ru", "source_kind"}
BASELINE_KEYS = {"official_lists", "crossings", "source_url", "why"}
ACTOR_LABEL = "access rules file"
OFFICIAL_LABEL = "Rosgranstroy list"
# A crossing's reference modes as ways a traveller crosses: a truck carries
# freight, not travellers.
TRAVELLER_MODES = {
    "car": AccessMode.CAR,
    "bus": AccessMode.BUS,
    "pedestrian": AccessMode.FOOT,
    "bicycle": AccessMode.BICYCLE,
}


class AccessLoadError(Exception):
    """The file could not be loaded; nothing from it was stored."""


@dataclass
class AccessLoad:
    recorded: int = 0
    unchanged: int = 0


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else exc
        raise AccessLoadError(f"{path.name}: {detail}") from None


def _moment(value: Any, where: str) -> datetime:
    moment = parse_datetime(str(value or "")) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise AccessLoadError(f"{where}: valid_from must be ISO 8601 with a zone")
    return moment


def _curated(rules: Any, name: str, result: AccessLoad) -> None:
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise AccessLoadError(f"{name}: rules must be a JSON array of objects")
    slugs = {
        slug
        for rule in rules
        if isinstance(rule.get("crossings"), list)
        for slug in rule["crossings"]
        if isinstance(slug, str)
    }
    crossings = BorderCrossing.objects.in_bulk(slugs, field_name="slug")
    for i, rule in enumerate(rules):
        where = f"{name} rule {i}"
        missing = sorted(REQUIRED - set(rule))
        unknown = sorted(set(rule) - REQUIRED - OPTIONAL)
        if missing or unknown:
            raise AccessLoadError(
                f"{where}: missing {missing or 'nothing'}, unknown {unknown or 'none'}"
            )
        if not isinstance(rule["crossings"], list) or not rule["crossings"]:
            raise AccessLoadError(f"{where}: crossings must be a list of slugs")
        valid_from = _moment(rule["valid_from"], where)
        for slug in rule["crossings"]:
            crossing = crossings.get(slug)
            if crossing is None:
                raise AccessLoadError(f"{where}: unknown crossing {slug!r}")
            _record(
                result,
                f"{where} ({slug})",
                crossing=crossing,
                side=rule["side"],
                valid_from=valid_from,
                modes=rule["modes"],
                who=rule["who"],
                vehicles_refused=rule.get("vehicles_refused", ""),
                hours=rule.get("hours", ""),
                source_kind=rule.get("source_kind", SourceKind.STAFF),
                source_url=rule["source_url"],
                note_en=rule.get("note_en", ""),
                note_ru=rule.get("note_ru", ""),
                actor_label=ACTOR_LABEL,
            )


def _record(result: AccessLoad, where: str, **values: Any) -> CrossingAccessRule:
    try:
        rule, created = access_rule_record(**values)
    except (ValidationError, TypeError) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
        raise AccessLoadError(f"{where}: {detail}") from None
    if created:
        result.recorded += 1
    else:
        result.unchanged += 1
    return rule


# --- The baseline: the official list's word on the Russian side ------------------


def baseline_terms(checkpoint: Checkpoint, crossing: BorderCrossing) -> AccessTerms:
    """What a copy of the list implies for the Russian side: a freight-only
    checkpoint lets no traveller through; a bilateral one only citizens of the
    two countries. The list gives no ways to cross: a rail checkpoint is a
    train, a pedestrian one on foot, any other the crossing's reference modes
    (trucks left out)."""
    hours = short_hours(checkpoint.hours_text_ru)
    if checkpoint.pattern == "cargo":
        return AccessTerms((), Who.NOBODY, "", hours)
    who = Who.ANYONE if checkpoint.multilateral else Who.BILATERAL
    if checkpoint.kind == "rail" or crossing.kind == CrossingKind.RAIL:
        modes: tuple[str, ...] | None = (AccessMode.TRAIN,)
    elif checkpoint.kind == "pedestrian":
        modes = (AccessMode.FOOT,)
    else:
        found = {TRAVELLER_MODES[m] for m in crossing.modes if m in TRAVELLER_MODES}
        modes = tuple(sorted(found)) or None
    return AccessTerms(modes, who, "", hours)


def _notes(checkpoint: Checkpoint, listed_on: date, modes_from: str) -> tuple[str, str]:
    """The baseline rule's notes: what the list says, and where the ways to
    cross come from, since the list gives none."""
    if checkpoint.pattern == "cargo":
        kind_en, kind_ru = "freight only, no travellers", "только грузовой"
        modes_en = modes_ru = ""
    else:
        if checkpoint.multilateral:
            kind_en = "multilateral: any traveller with valid documents"
            kind_ru = "многосторонний: любые путешественники с документами"
        else:
            kind_en = "bilateral: only citizens of Russia and the neighbour"
            kind_ru = "двусторонний: только граждане России и соседней страны"
        if checkpoint.kind in ("rail", "pedestrian"):
            modes_en = f" A {checkpoint.kind} checkpoint."
            modes_ru = (
                " Железнодорожный пункт."
                if checkpoint.kind == "rail"
                else " Пешеходный пункт."
            )
        else:
            modes_en = (
                " The list gives no ways to cross: they are the crossing's"
                f" reference modes ({modes_from}), trucks left out."
            )
            modes_ru = (
                " Способы пересечения в перечне не указаны: это справочные"
                f" данные пункта ({modes_from}), без грузовиков."
            )
    hours = checkpoint.hours_text_ru or "—"
    note_en = (
        f"Russian side as on Rosgranstroy's checkpoint list of {listed_on:%Y-%m-%d}:"
        f" {kind_en}. Published hours (in Russian): {hours}.{modes_en}"
    )
    note_ru = (
        "Российская сторона по перечню пунктов пропуска Росгранстроя на"
        f" {listed_on:%d.%m.%Y}: {kind_ru}. Режим работы: {hours}.{modes_ru}"
    )
    return note_en, note_ru


def _list_date(path: Path) -> date:
    """A saved copy is dated by its file name (map_data-2026-01-24.json)."""
    named = re.search(r"\d{4}-\d{2}-\d{2}", path.name)
    if named:
        try:
            return date.fromisoformat(named.group())
        except ValueError:
            pass
    raise AccessLoadError(f"{path.name}: no date (YYYY-MM-DD) in its name")


def _modes_sources(path: Path | None) -> dict[str, str]:
    """Per crossing slug, where its reference modes come from."""
    if path is None:
        return {}
    rows = _read_json(path)
    if not isinstance(rows, list):
        raise AccessLoadError(f"{path.name}: expected a JSON array of crossings")
    return {
        row["slug"]: row.get("modes_source") or row.get("source", "")
        for row in rows
        if isinstance(row, dict) and "slug" in row
    }


def _baseline(spec: Any, folder: Path, result: AccessLoad) -> None:
    if not isinstance(spec, dict) or not {"official_lists", "source_url"} <= set(spec):
        raise AccessLoadError("baseline needs official_lists and source_url")
    if set(spec) - BASELINE_KEYS:
        raise AccessLoadError(f"baseline: unknown {sorted(set(spec) - BASELINE_KEYS)}")
    lists_at = folder / spec["official_lists"]
    files = sorted(lists_at.glob("*.json")) if lists_at.is_dir() else [lists_at]
    copies = []
    for file in files:
        listed_on = _list_date(file)
        try:
            copies.append((listed_on, file.name, parse(file.read_bytes())))
        except (OSError, OfficialListError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) else exc
            raise AccessLoadError(f"{file.name}: {detail}") from None
    sources = _modes_sources(
        folder / spec["crossings"] if "crossings" in spec else None
    )
    held = {c.official_id: c for c in BorderCrossing.objects.exclude(official_id=None)}
    # Per crossing, the Russian side's rules so far: (valid from, id, terms).
    timeline: dict[int, list[tuple[datetime, int, AccessTerms]]] = {}
    for rule in CrossingAccessRule.objects.filter(side=Side.RUSSIAN):
        timeline.setdefault(rule.crossing_id, []).append(
            (rule.valid_from, rule.pk, rule_terms(rule))
        )
    for listed_on, name, checkpoints in sorted(copies, key=lambda c: c[0]):
        valid_from = datetime.combine(listed_on, time(0, 0), tzinfo=UTC)
        for checkpoint in checkpoints:
            crossing = held.get(checkpoint.official_id)
            if crossing is None:
                continue
            terms = baseline_terms(checkpoint, crossing)
            known = [r for r in timeline.get(crossing.pk, []) if r[0] <= valid_from]
            if known and max(known, key=lambda r: r[:2])[2] == terms:
                result.unchanged += 1
                continue
            modes_from = sources.get(crossing.slug) or crossing.source
            note_en, note_ru = _notes(checkpoint, listed_on, modes_from)
            rule = _record(
                result,
                f"{name} checkpoint {checkpoint.official_id}",
                crossing=crossing,
                side=Side.RUSSIAN,
                valid_from=valid_from,
                modes=None if terms.modes is None else list(terms.modes),
                who=terms.who,
                hours=terms.hours,
                source_kind=SourceKind.OFFICIAL,
                source_url=spec["source_url"],
                note_en=note_en,
                note_ru=note_ru,
                actor_label=OFFICIAL_LABEL,
            )
            timeline.setdefault(crossing.pk, []).append((valid_from, rule.pk, terms))


@transaction.atomic
def access_rules_load(path: Path) -> AccessLoad:
    """Record the curated rules in the file, then the baseline it names.
    Raises AccessLoadError naming the file and the row; nothing is then
    stored."""
    if not path.is_file():
        raise AccessLoadError(f"{path}: no such file")
    document = _read_json(path)
    result = AccessLoad()
    if isinstance(document, list):
        _curated(document, path.name, result)
        return result
    if not isinstance(document, dict) or set(document) - {"baseline", "rules"}:
        raise AccessLoadError(
            f"{path.name}: expected an array of rules or an object with"
            " 'rules' and 'baseline'"
        )
    _curated(document.get("rules", []), path.name, result)
    if "baseline" in document:
        _baseline(document["baseline"], path.parent, result)
    return result

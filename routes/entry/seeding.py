"""Load entry rules from files: a visa table (CSV) or curated rules (JSON).

Curated rules are a JSON array of objects with `destination`, `valid_from`
(a date or a date and time), `visa`, the optional terms (`free_days`,
`period_days`, `internal_passport_ok`, `schengen_visa_holders_refused`,
`registration_days`), `source_url`, and `note_en`/`note_ru`. All or nothing.
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
from django.utils.dateparse import parse_date, parse_datetime

from routes.entry.models import RuleSource
from routes.entry.services import (
    TERM_FIELDS,
    RuleTerms,
    entry_rule_record,
    entry_table_record,
)
from routes.entry.sources.passport_index import VisaTableError, parse

TABLE_SUFFIX = ".csv"
CURATED_SUFFIX = ".json"


class EntryLoadError(Exception):
    """A file could not be loaded; nothing from it was stored."""


@dataclass
class EntryLoad:
    recorded: int = 0
    unchanged: int = 0


def _moment(value: Any, where: str) -> datetime:
    text = str(value or "")
    day = parse_date(text) if len(text) == len("2022-09-25") else None
    if day is not None:  # a day: from its start, UTC
        moment = datetime.combine(day, time(0, 0), tzinfo=UTC)
    else:
        moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise EntryLoadError(
            f"{where}: valid_from must be a date or ISO 8601 with a zone"
        )
    return moment


def _curated(path: Path, result: EntryLoad) -> None:
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EntryLoadError(f"{path.name}: {exc}") from None
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise EntryLoadError(f"{path.name}: expected a JSON array of objects")
    for i, rule in enumerate(rules):
        where = f"{path.name} rule {i} ({rule.get('destination')})"
        try:
            terms = RuleTerms(**{k: rule.get(k) for k in TERM_FIELDS})
            _, created = entry_rule_record(
                destination=str(rule.get("destination", "")),
                valid_from=_moment(rule.get("valid_from"), where),
                terms=terms,
                source_kind=rule.get("source_kind", RuleSource.STAFF),
                source_url=str(rule.get("source_url", "")),
                note_en=rule.get("note_en", ""),
                note_ru=rule.get("note_ru", ""),
                actor_label="curated rules",
            )
        except ValidationError as exc:
            raise EntryLoadError(f"{where}: {'; '.join(exc.messages)}") from None
        if created:
            result.recorded += 1
        else:
            result.unchanged += 1


def _table(path: Path, result: EntryLoad) -> None:
    # A table without a snapshot column is dated by its file name
    # (passport-index-tidy-iso2-2025-01-12.csv), as the dataset names them.
    named = re.search(r"\d{4}-\d{2}-\d{2}", path.name)
    snapshot = date.fromisoformat(named.group()) if named else None
    try:
        rows = parse(path.read_bytes(), snapshot=snapshot)
    except (OSError, VisaTableError) as exc:
        raise EntryLoadError(f"{path.name}: {exc}") from None
    try:
        load = entry_table_record(rows)
    except ValidationError as exc:
        raise EntryLoadError(f"{path.name}: {'; '.join(exc.messages)}") from None
    result.recorded += load.recorded
    result.unchanged += load.unchanged


@transaction.atomic
def entry_rules_load(path: Path) -> EntryLoad:
    """Load a table or curated rules, or every such file in a folder (tables
    first, in name order). Raises EntryLoadError; nothing is then stored."""
    if not path.exists():
        raise EntryLoadError(f"{path}: no such file or folder")
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    tables = [f for f in files if f.suffix == TABLE_SUFFIX]
    curated = [f for f in files if f.suffix == CURATED_SUFFIX]
    if not (tables or curated):
        raise EntryLoadError(f"{path}: no .csv visa table or .json rules there")
    result = EntryLoad()
    for table in tables:
        _table(table, result)
    for rules in curated:
        _curated(rules, result)
    return result

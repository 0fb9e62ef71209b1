"""The entry rules in force at a moment, one per destination."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from routes.entry.models import EntryRule, RuleSource
from routes.entry.services import TERM_FIELDS, RuleTerms

# What a visa table says and may say again after a curated rule: when the table
# changes after that rule, the table is newer news about these.
TABLE_TERMS = ("visa", "free_days", "period_days")


@dataclass(frozen=True)
class RuleBasis:
    """One rule an answer rests on."""

    source_kind: str
    source_url: str
    valid_from: datetime
    note_en: str
    note_ru: str


@dataclass(frozen=True)
class EffectiveRule:
    """What a destination lets a citizen do at a moment, and why we say so."""

    destination: str
    terms: RuleTerms
    basis: tuple[RuleBasis, ...] = field(default_factory=tuple)

    @property
    def valid_from(self) -> datetime:
        return max(b.valid_from for b in self.basis)


def _terms(rule: EntryRule) -> RuleTerms:
    return RuleTerms(**{name: getattr(rule, name) for name in TERM_FIELDS})


def _basis(rule: EntryRule) -> RuleBasis:
    return RuleBasis(
        rule.source_kind, rule.source_url, rule.valid_from, rule.note_en, rule.note_ru
    )


def _combine(
    table: EntryRule | None,
    curated: EntryRule | None,
    table_began: datetime | None = None,
) -> RuleTerms:
    """The table's terms, with what a curated rule knows laid over them: a
    curated rule speaks where the table is silent (internal passports, bans on
    visa holders, registration) or wrong; but a change in the table dated
    after the curated rule is newer than it. The table's first row for a
    destination is no change: only the date the table began to be read."""
    if curated is None:
        return _terms(table)
    if table is None:
        return _terms(curated)
    merged: dict[str, Any] = {
        name: getattr(curated, name)
        if getattr(curated, name) is not None
        else getattr(table, name)
        for name in TERM_FIELDS
    }
    changed = table_began is None or table.valid_from > table_began
    newer_table = (
        changed
        and table.valid_from > curated.valid_from
        and any(getattr(table, name) != getattr(curated, name) for name in TABLE_TERMS)
    )
    if newer_table:
        merged.update({name: getattr(table, name) for name in TABLE_TERMS})
    return RuleTerms(**merged)


def entry_rules_at(
    at: datetime | None = None,
    *,
    citizenship: str = "RU",
    destinations: Collection[str] = (),
) -> dict[str, EffectiveRule]:
    """Per destination (every one, or those named), the rule in force at `at`
    (default now). One query."""
    at = at or timezone.now()
    newest: dict[tuple[str, bool], EntryRule] = {}
    began: dict[str, datetime] = {}
    rules = EntryRule.objects.filter(citizenship=citizenship, valid_from__lte=at)
    if destinations:
        rules = rules.filter(destination__in=destinations)
    for rule in rules.order_by("valid_from", "id"):
        curated = rule.source_kind != RuleSource.BASELINE
        newest[(rule.destination, curated)] = rule
        if not curated:
            began.setdefault(rule.destination, rule.valid_from)
    answer = {}
    for destination in sorted({d for d, _ in newest}):
        table = newest.get((destination, False))
        curated = newest.get((destination, True))
        terms = _combine(table, curated, began.get(destination))
        basis = tuple(_basis(r) for r in (curated, table) if r is not None)
        answer[destination] = EffectiveRule(destination, terms, basis)
    return answer


def entry_rule_at(
    destination: str, at: datetime | None = None, *, citizenship: str = "RU"
) -> EffectiveRule | None:
    """The rule in force for one destination, or None when nothing is known."""
    rules = entry_rules_at(at, citizenship=citizenship, destinations=[destination])
    return rules.get(destination)

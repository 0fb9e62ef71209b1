"""The one write path for entry rules."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from exitwatch.lib.observed import EARLIEST_OBSERVATION, NAIVE_TIME_MESSAGE
from outbox.services import outbox_enqueue
from routes.entry.models import (
    MAX_DAYS,
    NON_ISO_DESTINATIONS,
    EntryRule,
    RuleSource,
    Visa,
)
from routes.entry.sources.passport_index import URL as PASSPORT_INDEX_URL
from routes.entry.sources.passport_index import TableRow

# What makes the event of a curated rule (alerts.tasks).
RULE_EVENT_TASK = "alerts.tasks.event_from_entry_rule"
# A rule may be announced before it takes effect; further ahead than this it
# is a typo.
MAX_ANNOUNCED = timedelta(days=366)


@dataclass(frozen=True)
class RuleTerms:
    """What a rule says; None where its source says nothing."""

    visa: str
    free_days: int | None = None
    period_days: int | None = None
    internal_passport_ok: bool | None = None
    schengen_visa_holders_refused: bool | None = None
    registration_days: int | None = None


TERM_FIELDS = tuple(f.name for f in fields(RuleTerms))


def rule_problems(
    destination: str,
    citizenship: str,
    valid_from: datetime,
    terms: RuleTerms,
    source_kind: str,
    source_url: str,
    now: datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, code in (("destination", destination), ("citizenship", citizenship)):
        if code not in countries and code not in NON_ISO_DESTINATIONS:
            add(field, _("Unknown country code %(code)r.") % {"code": code})
    if terms.visa not in Visa.values:
        add("visa", _("Unknown kind of visa %(value)r.") % {"value": terms.visa})
    for field in ("free_days", "period_days", "registration_days"):
        value = getattr(terms, field)
        if value is not None and (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 0 < value <= MAX_DAYS
        ):
            add(
                field,
                _("Give a whole number of days from 1 to %(max)d.") % {"max": MAX_DAYS},
            )
    if terms.free_days and terms.period_days and terms.period_days < terms.free_days:
        add("period_days", _("The period cannot be shorter than the stay."))
    if terms.free_days is not None and terms.visa != Visa.FREE:
        add("free_days", _("Visa-free days belong to a visa-free rule."))
    if source_kind not in RuleSource.values:
        add("source_kind", _("Unknown source kind %(value)r.") % {"value": source_kind})
    if not source_url.startswith(("https://", "http://")):
        add("source_url", _("Give the address of the source."))
    if timezone.is_naive(valid_from):
        add("valid_from", str(NAIVE_TIME_MESSAGE))
    elif valid_from > now + MAX_ANNOUNCED:
        add("valid_from", _("A rule can start at most a year from now."))
    elif valid_from < EARLIEST_OBSERVATION:
        add("valid_from", _("Rules before 2000 are not tracked."))
    return errors


@transaction.atomic
def entry_rule_record(
    *,
    destination: str,
    valid_from: datetime,
    terms: RuleTerms,
    source_kind: str,
    source_url: str,
    citizenship: str = "RU",
    note_en: str = "",
    note_ru: str = "",
    actor_label: str = "",
) -> tuple[EntryRule, bool]:
    """Record a rule; (rule, created). The same rule from the same source and
    date is recorded once: a second call returns the first.
    Raises ValidationError (messages by field)."""
    errors = rule_problems(
        destination,
        citizenship,
        valid_from,
        terms,
        source_kind,
        source_url,
        timezone.now(),
    )
    if errors:
        raise ValidationError(errors)
    same = EntryRule.objects.filter(
        citizenship=citizenship,
        destination=destination,
        valid_from=valid_from,
        source_kind=source_kind,
        source_url=source_url,
        **{name: getattr(terms, name) for name in TERM_FIELDS},
    ).first()
    if same is not None:
        return same, False
    rule = EntryRule.objects.create(
        citizenship=citizenship,
        destination=destination,
        valid_from=valid_from,
        source_kind=source_kind,
        source_url=source_url,
        note_en=note_en,
        note_ru=note_ru,
        actor_label=actor_label or source_kind,
        **{name: getattr(terms, name) for name in TERM_FIELDS},
    )
    if source_kind != RuleSource.BASELINE:
        # A curated rule is news for partners' webhooks (alerts, by task name);
        # the visa table's thousands of baseline rows are not.
        outbox_enqueue(task=RULE_EVENT_TASK, kwargs={"rule_id": rule.pk})
    return rule, True


@dataclass
class TableLoad:
    rows: int = 0
    recorded: int = 0
    unchanged: int = 0


@transaction.atomic
def entry_table_record(
    rows: Iterable[TableRow], *, citizenship: str = "RU"
) -> TableLoad:
    """Record a visa table as baseline rules: per destination, only the
    snapshots where its requirement differs from the rule then in force, each
    dated by its snapshot. All or nothing; loading a table again, or an older
    one after a newer, records nothing that is already known."""
    result = TableLoad()
    # Per destination, the baseline's timeline so far: (valid from, terms).
    timeline: dict[str, list[tuple[datetime, tuple[str, int | None]]]] = {}
    for rule in EntryRule.objects.filter(
        citizenship=citizenship, source_kind=RuleSource.BASELINE
    ).order_by("valid_from", "id"):
        timeline.setdefault(rule.destination, []).append(
            (rule.valid_from, (rule.visa, rule.free_days))
        )
    ordered = sorted(
        (r for r in rows if r.passport == citizenship),
        key=lambda r: (r.snapshot, r.destination),
    )
    for row in ordered:
        result.rows += 1
        valid_from = datetime.combine(row.snapshot, time(0, 0), tzinfo=UTC)
        terms = (row.visa, row.free_days)
        known = timeline.setdefault(row.destination, [])
        moments = [moment for moment, _ in known]
        in_force = known[bisect_right(moments, valid_from) - 1][1] if known else None
        if moments and valid_from < moments[0]:
            in_force = None
        if in_force == terms:
            result.unchanged += 1
            continue
        entry_rule_record(
            destination=row.destination,
            citizenship=citizenship,
            valid_from=valid_from,
            terms=RuleTerms(visa=row.visa, free_days=row.free_days),
            source_kind=RuleSource.BASELINE,
            source_url=PASSPORT_INDEX_URL,
            actor_label="visa table",
        )
        insort(known, (valid_from, terms))
        result.recorded += 1
    return result

"""What each feed entry says, in the active language: what changed (old → new,
on which side, the waits), when it was observed and recorded, who says so, and
where to read more.

Entries are plain values built once per request; the Atom document is written
from them by routes.feeds.views. Nothing a traveller sent is named here beyond
what the crossing page shows: a traveller-based row says "Traveller" as its
source, never who approved it or which report it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from advisories.models import AdvisoryRevision, Level
from exitwatch.lib.formatting import format_wait, zone_label
from routes.models import (
    WAIT_MODES,
    BorderCrossing,
    CrossingUpdate,
    Mode,
    Side,
    SourceKind,
    Status,
)
from routes.selectors import country_names

# Builds an absolute URL from a path ("/crossings/x/" → "https://host/crossings/x/").
Absolute = Callable[[str], str]


@dataclass(frozen=True)
class Entry:
    """One Atom entry, its text already in the feed's language."""

    id: str
    title: str
    html: str
    link: str
    published: datetime
    updated: datetime
    author: str


def country_name(code: str) -> str:
    """A country's name in the active language (English or Russian)."""
    name_en, name_ru = country_names(code)
    return name_ru if (get_language() or "")[:2] == "ru" else name_en


def crossing_title(crossing: BorderCrossing) -> str:
    return f"{crossing.name} — {crossing.neighbour_name}"


def crossing_path(crossing: BorderCrossing) -> str:
    return f"/crossings/{crossing.slug}/"


def status_word(status: str) -> str:
    known = status if status in Status.values else Status.UNKNOWN
    return str(Status(known).label)


def _moment(moment: datetime) -> str:
    # With the year always: an entry is read long after the day it is about.
    local = timezone.localtime(moment)
    fmt = pgettext("date and time format", "j M Y, H:i")
    return f"{dateformat.format(local, fmt)} {zone_label()}"


def _side_label(side: str, crossing: BorderCrossing) -> str:
    if side == Side.RUSSIAN:
        return pgettext("border side", "Russian side")
    return _("Neighbour's side (%(country)s)") % {
        "country": country_name(crossing.country.code)
    }


def _side_changes(row: CrossingUpdate) -> list[tuple[str, str, str]]:
    """(side, before, after) for each side whose claim this row changed."""
    changes = []
    for side, prefix in ((Side.RUSSIAN, "ru"), (Side.NEIGHBOUR, "neighbour")):
        if row.side in (side, Side.BOTH):
            before = getattr(row, f"{prefix}_before")
            if before != row.status:
                changes.append((side, before, row.status))
    return changes


def _waits(row: CrossingUpdate) -> list[tuple[str, int | None, int | None, bool]]:
    """(mode label, wait, wait before, changed) for each mode with a figure
    now or before; "before" is known only where the feed compared waits."""
    waits = []
    for mode in WAIT_MODES:
        now = getattr(row, f"wait_{mode}")
        compared = hasattr(row, f"wait_{mode}_before")
        before = getattr(row, f"wait_{mode}_before", None) if compared else None
        before = None if before is not None and before < 0 else before
        changed = compared and now != before
        if now is not None or changed:
            waits.append((str(Mode(mode).label), now, before, changed))
    return waits


def _wait_text(label: str, now: int | None, before: int | None, changed: bool) -> str:
    text = f"{label} {format_wait(now)}"
    if changed:
        text += " " + _("(was %(wait)s)") % {"wait": format_wait(before)}
    return text


def _note(row: CrossingUpdate) -> str:
    if (get_language() or "")[:2] == "ru":
        return row.note_ru or row.note
    return row.note


def update_entry(row: CrossingUpdate, absolute: Absolute) -> Entry:
    """The entry for one changing history row (routes.feeds.selectors)."""
    crossing = row.crossing
    name = crossing_title(crossing)
    page = absolute(crossing_path(crossing))
    combined = (row.previous_status, row.combined_after)
    sides = _side_changes(row)
    waits = _waits(row)

    lines = []
    if combined[0] != combined[1]:
        lines.append((_("Status"), *combined))
    lines += [(_side_label(side, crossing), old, new) for side, old, new in sides]
    # Titles are names, statuses and figures, each already in the language.
    if combined[0] != combined[1]:
        title = f"{name}: {status_word(combined[0])} → {status_word(combined[1])}"
    elif sides:
        side, old, new = sides[0]
        side_label = _side_label(side, crossing)
        title = f"{name} ({side_label}): {status_word(old)} → {status_word(new)}"
    else:
        changed = [_wait_text(*w) for w in waits if w[3]]
        title = f"{name}: {', '.join(changed) or format_wait(None)}"

    parts = [
        format_html_join(
            "",
            "<p><strong>{}</strong>: {} → {}</p>",
            ((label, status_word(old), status_word(new)) for label, old, new in lines),
        )
    ]
    if sides and combined[0] == combined[1]:
        parts.append(
            format_html(
                "<p>{}</p>",
                _("The crossing's status stays %(status)s.")
                % {"status": status_word(combined[1])},
            )
        )
    if waits:
        parts.append(
            format_html(
                "<p><strong>{}</strong>: {}</p>",
                _("Wait"),
                "; ".join(_wait_text(*w) for w in waits),
            )
        )
    if note := _note(row):
        parts.append(format_html("<p>“{}”</p>", note))
    parts.append(
        format_html(
            "<p>{}</p>",
            _("Observed %(observed)s; recorded %(recorded)s.")
            % {
                "observed": _moment(row.observed_at),
                "recorded": _moment(row.recorded_at),
            },
        )
    )
    if not row.applied:
        parts.append(
            format_html(
                "<p>{}</p>", capfirst(_("arrived late: kept, not shown as current"))
            )
        )
    source = str(SourceKind(row.source_kind).label)
    said = capfirst(_("source: %(source)s") % {"source": source})
    if row.source_url:
        parts.append(
            format_html(
                '<p>{} — <a href="{}">{}</a></p>', said, row.source_url, row.source_url
            )
        )
    else:
        parts.append(format_html("<p>{}</p>", said))
    parts.append(format_html('<p><a href="{}">{}</a></p>', page, name))
    # The crossing page's history row carries this anchor; the id is the
    # history's own, which the page and the API already show.
    link = f"{page}#update-{row.pk}"
    return Entry(
        id=link,
        title=title,
        html="".join(parts),
        link=link,
        published=row.observed_at,
        updated=row.recorded_at,
        author=source,
    )


def _level_text(level: int) -> str:
    level_of = _("Level %(level)s of 4") % {"level": level}
    return f"{level_of} — {Level(level).label}"


def advisory_entry(revision: AdvisoryRevision, tag_base: str) -> Entry:
    """The entry for one advisory revision; `tag_base` starts its tag URI."""
    advisory = revision.advisory
    issuer = advisory.source.name
    country = country_name(advisory.target_country.code)
    before = revision.level_before
    change = str(AdvisoryRevision.Change(revision.change).label)
    if before is not None and before != revision.level:
        title = f"{issuer} · {country}: {_('Level')} {before} → {revision.level}"
    else:
        title = f"{issuer} · {country}: {change}"
    parts = [
        format_html(
            "<p><strong>{}</strong>: {}{}</p>",
            change,
            _level_text(revision.level),
            f" (“{revision.level_text}”)" if revision.level_text else "",
        )
    ]
    if before is not None and before != revision.level:
        parts.append(
            format_html(
                "<p>{}</p>",
                _("Before: %(level)s") % {"level": _level_text(before)},
            )
        )
    parts.append(format_html("<p><strong>{}</strong></p>", revision.title))
    if revision.summary:
        parts.append(format_html("<p>{}</p>", revision.summary))
    recorded = _("Recorded %(recorded)s.") % {"recorded": _moment(revision.recorded_at)}
    if revision.published_at:
        recorded += " " + _("Published by the issuer %(published)s.") % {
            "published": _moment(revision.published_at)
        }
    parts.append(format_html("<p>{}</p>", recorded))
    parts.append(
        format_html(
            '<p>{} — <a href="{}">{}</a></p>',
            capfirst(_("source: %(source)s") % {"source": issuer}),
            advisory.url,
            advisory.url,
        )
    )
    return Entry(
        id=f"{tag_base}:advisory-revision:{revision.pk}",
        title=title,
        html="".join(parts),
        link=advisory.url,
        published=revision.recorded_at,
        updated=revision.recorded_at,
        author=issuer,
    )

"""What /lite/ shows, taken from the cached map snapshot document.

The text-only page is for filtered or very slow connections and must stay cheap when
everyone reloads at once: it reads the very document the map draws (the cached
bytes: no SQL when warm) and only picks the active language's words from it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

from advisories.models import Level
from exitwatch.lib.formatting import from_iso_z
from exitwatch.lib.moments import parse_moment
from routes.mapdoc.words import choice_label, word
from routes.models import DeFacto, Mode, SourceKind, Status
from routes.waits import wait_label

# Best news first inside a country: what is open, then what is not known.
STATUS_ORDER = {
    Status.OPEN: 0,
    Status.RESTRICTED: 1,
    Status.UNKNOWN: 2,
    Status.CLOSED: 3,
}


@dataclass(frozen=True)
class LiteWait:
    mode: str
    label: str
    minutes: int
    text: str  # the figure, with what it rests on when the snapshot says


@dataclass(frozen=True)
class LiteCrossing:
    slug: str
    name: str
    neighbour_name: str
    status: str
    waits: list[LiteWait]
    queue_length: int | None
    restrictions: str
    observed_at: datetime | None
    source_kind: str
    source_label: str
    stale: bool  # its last figure is older than its freshness window
    url: str
    status_observed_at: datetime | None = None
    cargo_only: bool = False
    de_facto_label: str = ""
    # For a traveller's profile: whether it is open to them (None: no profile
    # given) and, if not, the first reason why.
    for_you: bool | None = None
    why_not: str = ""

    @property
    def sort_key(self) -> tuple[bool, bool, int, str]:
        """Travellers' crossings before cargo ones, confirmed before last known,
        then best news first."""
        return (
            self.cargo_only,
            self.stale,
            STATUS_ORDER[self.status],
            self.name.casefold(),
        )


@dataclass(frozen=True)
class LiteCountry:
    code: str
    name: str
    crossings: list[LiteCrossing]
    open_count: int  # travellers' crossings confirmed open
    travellers_count: int  # all but the cargo-only ones


@dataclass(frozen=True)
class LiteAdvisory:
    issuer_name: str
    level: int
    level_label: str
    level_text: str
    url: str
    published_at: datetime | None


@dataclass(frozen=True)
class LiteFlight:
    origin: str
    origin_city: str
    destination: str
    destination_city: str
    min_price: Decimal | None
    currency: str
    any_seats: bool
    sold_out: bool
    next_with_seats: date | None
    last_observed_at: datetime | None


@dataclass(frozen=True)
class LitePage:
    generated_at: datetime | None
    countries: list[LiteCountry]
    advisories: list[LiteAdvisory]
    flights: list[LiteFlight]
    # Travellers' crossings confirmed within their freshness window, by status.
    confirmed_counts: dict[str, int]
    # Travellers' crossings whose status is only last known (older than the window).
    last_known_count: int
    cargo_count: int
    # The newest confirmed figure ("data as of"), not the moment the page was built.
    data_as_of: datetime | None = None
    # The moment a past map stands at; None for now.
    at: datetime | None = None


class _ParsedMemo:
    """The last parsed document, per snapshot ETag, shared by a process's threads."""

    def __init__(self) -> None:
        self.etag = ""
        self.document: dict[str, Any] = {}
        self.lock = threading.Lock()


_memo = _ParsedMemo()


def document_at(value: str) -> dict[str, Any] | None:
    """The map document as it stood at `value` (?at=), or None for now: today's
    date alone means now, not the end of today. Raises ValidationError."""
    # Imported here: routes.mapdoc.snapshot imports routes.selectors at load time.
    from routes.mapdoc.snapshot import snapshot_at

    value = value.strip()
    if not value or value == timezone.now().date().isoformat():
        return None
    return json.loads(snapshot_at(parse_moment(value)).full.identity_body)


def current_document() -> tuple[str, dict[str, Any]]:
    """The current map snapshot (ETag, parsed document); treat it as read-only."""
    # Imported here: routes.mapdoc.snapshot imports routes.selectors at load time.
    from routes.mapdoc.snapshot import snapshot_current

    snapshot = snapshot_current().full
    with _memo.lock:
        if _memo.etag != snapshot.etag:
            _memo.document = json.loads(snapshot.identity_body)
            _memo.etag = snapshot.etag
        return _memo.etag, _memo.document


def _crossing(feature: dict[str, Any], lang: str) -> LiteCrossing:
    props = feature["properties"]
    modes = props.get("modes") or []
    bases = props.get("wait_basis") or {}
    waits = [
        LiteWait(
            mode=mode,
            label=choice_label(Mode, mode),
            minutes=minutes,
            text=wait_label(minutes=minutes, basis=bases.get(mode)),
        )
        for mode, minutes in (props.get("waits") or {}).items()
        if minutes is not None and (mode in modes or not modes)
    ]
    status = props.get("status") or Status.UNKNOWN
    if status not in Status.values:
        status = Status.UNKNOWN
    return LiteCrossing(
        slug=props["slug"],
        name=word(props, "name", lang),
        neighbour_name=word(props, "neighbour_name", lang),
        status=status,
        waits=waits,
        queue_length=props.get("queue_length"),
        restrictions=word(props, "restrictions", lang),
        observed_at=from_iso_z(props.get("last_observed_at")),
        source_kind=props.get("last_source_kind") or "",
        source_label=choice_label(SourceKind, props["last_source_kind"])
        if props.get("last_source_kind")
        else "",
        stale=bool(props.get("stale")),
        url=props.get("url") or f"/crossings/{props['slug']}/",
        status_observed_at=from_iso_z(props.get("status_observed_at")),
        cargo_only=bool(props.get("cargo_only")),
        de_facto_label=choice_label(DeFacto, props["de_facto"])
        if props.get("de_facto")
        else "",
    )


def _price(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def lite_page(
    *,
    document: dict[str, Any],
    lang: str,
    verdicts: Mapping[str, tuple[bool, str]] | None = None,
    only_open: bool = False,
) -> LitePage:
    """The snapshot grouped for reading: countries by name; inside each,
    confirmed travellers' crossings first, best news first (LiteCrossing.sort_key).

    Counts leave cargo-only crossings out and keep what is confirmed within
    its freshness window apart from what is only last known. With `verdicts`
    (slug -> open to a traveller, why not), each crossing says so, and with
    `only_open` the page keeps only the crossings open to them.
    """
    by_country: dict[str, list[LiteCrossing]] = {}
    names: dict[str, str] = {}
    counts = {status: 0 for status in Status.values}
    last_known = cargo = 0
    for feature in document["crossings"]["features"]:
        props = feature["properties"]
        crossing = _crossing(feature, lang)
        if verdicts is not None:
            for_you, why_not = verdicts.get(crossing.slug, (False, ""))
            if only_open and not for_you:
                continue
            crossing = replace(crossing, for_you=for_you, why_not=why_not)
        if crossing.cargo_only:
            cargo += 1
        elif crossing.stale:
            last_known += 1
        else:
            counts[crossing.status] += 1
        by_country.setdefault(props["country"], []).append(crossing)
        names[props["country"]] = word(props, "country_name", lang) or props["country"]
    countries = [
        LiteCountry(
            code=code,
            name=names[code],
            crossings=sorted(crossings, key=lambda c: c.sort_key),
            open_count=sum(
                c.status == Status.OPEN and not c.stale and not c.cargo_only
                for c in crossings
            ),
            travellers_count=sum(not c.cargo_only for c in crossings),
        )
        for code, crossings in by_country.items()
    ]
    countries.sort(key=lambda c: c.name.casefold())
    advisories = [
        LiteAdvisory(
            issuer_name=word(a, "source_name", lang) or a.get("issuer", ""),
            level=a["level"],
            level_label=choice_label(Level, a["level"]),
            level_text=a.get("level_text") or "",
            url=a.get("url") or "",
            published_at=from_iso_z(a.get("published_at")),
        )
        for a in document.get("advisories", [])
    ]
    flights = [
        LiteFlight(
            origin=f["origin"],
            origin_city=word(f, "origin_city", lang),
            destination=f["destination"],
            destination_city=word(f, "destination_city", lang),
            min_price=_price(f.get("min_price")),
            currency=f.get("currency") or "",
            any_seats=bool(f.get("any_seats")),
            sold_out=bool(f.get("sold_out")),
            next_with_seats=parse_date(f["next_departure_with_seats"])
            if f.get("next_departure_with_seats")
            else None,
            last_observed_at=from_iso_z(f.get("last_observed_at")),
        )
        for f in document.get("flights", [])
    ]
    # Routes with seats first; prices in different currencies are not compared.
    flights.sort(
        key=lambda f: (
            not f.any_seats,
            f.sold_out,
            f.origin_city.casefold(),
            f.destination_city.casefold(),
        )
    )
    return LitePage(
        generated_at=from_iso_z(document.get("generated_at")),
        countries=countries,
        advisories=advisories,
        flights=flights,
        confirmed_counts=counts,
        last_known_count=last_known,
        cargo_count=cargo,
        data_as_of=from_iso_z(document.get("data_as_of")),
        at=from_iso_z(document.get("at")),
    )

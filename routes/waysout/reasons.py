"""Why a way out is or is not open to a traveller, as sentences in either language.

A reason is built once, with its facts as parameters, and said in the language
asked for: the same answer reads "Finland admits no one here since 30 Nov 2023"
or "Финляндия: никого не пропускает здесь с 30 ноября 2023 г.".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from routes.access.models import AccessMode
from routes.entry.models import destination_name

# How a day is written in a reason, per language (Russian months take the genitive).
DAY_FORMATS = {"en": "j M Y", "ru": "j E Y"}
# A claim dated "from 4 August" is midnight where it was made: its day is read
# in the time zone of the country the reason names (Russia's side of a border
# post is a few metres away), else in the site's.
ZONES = {
    "AB": "Europe/Moscow",
    "AZ": "Asia/Baku",
    "BY": "Europe/Minsk",
    "CN": "Asia/Shanghai",
    "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki",
    "GE": "Asia/Tbilisi",
    "KP": "Asia/Pyongyang",
    "KZ": "Asia/Almaty",
    "LT": "Europe/Vilnius",
    "LV": "Europe/Riga",
    "MN": "Asia/Ulaanbaatar",
    "NO": "Europe/Oslo",
    "OS": "Europe/Moscow",
    "PL": "Europe/Warsaw",
    "UA": "Europe/Kyiv",
}


@dataclass(frozen=True)
class Country:
    """A country named in a reason: said in the reason's language."""

    code: str


@dataclass(frozen=True)
class Words:
    """A text the data holds in both languages (a source's note)."""

    en: str
    ru: str


@dataclass(frozen=True)
class Modes:
    """Ways of crossing named in a reason: said with their labels."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Hours:
    """Opening hours as the data writes them ("24 h", "07:00–23:00")."""

    text: str


@dataclass(frozen=True)
class Reason:
    """One sentence about a way out. `blocks` means the way is shut to this
    traveller for this reason; otherwise it is something to know (a visa-free
    stay, an unknown, a warning)."""

    code: str
    blocks: bool
    # The facts the sentence names, as (name, value) pairs: a reason is
    # hashable, so each one is put into words once per language.
    params: tuple[tuple[str, Any], ...] = ()
    source_url: str = ""

    def say(self, lang: str) -> str:
        return _said(self, lang)


# Answers repeat the same few hundred reasons (a closure, a visa rule) for
# every traveller: each is said once per language and process.
@lru_cache(maxsize=20_000)
def _said(reason: Reason, lang: str) -> str:
    params = dict(reason.params)
    country = params.get("country")
    zone = ZONES.get(country.code) if isinstance(country, Country) else None
    with translation.override(lang):
        return str(TEXTS[reason.code]) % {
            key: _word(value, lang, zone) for key, value in params.items()
        }


def _word(value: Any, lang: str, zone: str | None = None) -> str:
    if isinstance(value, Country):
        return destination_name(value.code)
    if isinstance(value, Words):
        return (value.ru if lang == "ru" else value.en) or value.en or value.ru
    if isinstance(value, datetime):
        value = (
            value.astimezone(ZoneInfo(zone)) if zone else timezone.localtime(value)
        ).date()
    if isinstance(value, date):
        return formats.date_format(value, DAY_FORMATS.get(lang, "Y-m-d"))
    if isinstance(value, Hours):
        if value.text.replace(" ", "") == "24h":
            return pgettext("opening hours", "24 h")
        return value.text
    if isinstance(value, Modes):
        return ", ".join(str(AccessMode(mode).label).lower() for mode in value.values)
    return str(value)


# The sentences, one per kind of reason; %(country)s is a country's name.
TEXTS = {
    "side_closed": _("%(country)s admits no one here since %(since)s."),
    "ru_side_closed": _("Russia's side is closed here since %(since)s."),
    "side_unknown": _(
        "Nobody has a sourced word on %(country)s's side of this crossing."
    ),
    "side_unknown_since": _(
        "%(country)s's side: the last sourced word (%(since)s) is too old to rely on."
    ),
    "side_restricted": _("%(country)s's side is restricted since %(since)s: %(note)s"),
    "nobody_crosses": _("No traveller may cross here (%(country)s's side)."),
    "bilateral_only": _(
        "Only citizens of Russia and %(country)s may cross here (a bilateral crossing)."
    ),
    "mode_not_allowed": _(
        "%(country)s's side lets only these through here: %(modes)s."
    ),
    "modes_unknown": _("Which ways of crossing are allowed here is not recorded."),
    "car_refused_registered": _(
        "%(country)s turns back cars registered in Russia since %(since)s."
    ),
    "car_refused_owned": _(
        "%(country)s turns back cars owned by Russians since %(since)s."
    ),
    "hours": _("Open %(hours)s (%(country)s's side)."),
    "entry_refused": _("%(country)s refuses entry to Russian citizens."),
    "visa_needed": _("%(country)s needs a visa."),
    "schengen_refused": _(
        "%(country)s refuses Russian citizens even with a Schengen visa "
        "since %(since)s."
    ),
    "foreign_passport_needed": _("%(country)s needs a foreign passport."),
    "internal_passport_ok": _("%(country)s accepts the Russian internal passport."),
    "internal_passport_unknown": _(
        "Whether %(country)s accepts the internal passport is not recorded."
    ),
    "entry_unknown": _("%(country)s's entry rules are not recorded."),
    "other_citizenship": _(
        "The entry rules recorded here are for Russian citizens; check yours."
    ),
    "dual_citizenship": _(
        "With your other passport, %(country)s's rules for that citizenship apply."
    ),
    "visa_free": _("%(country)s: no visa for up to %(days)s days."),
    "no_visa": _("%(country)s: no visa needed."),
    "visa_free_period": _(
        "%(country)s: no visa for up to %(days)s days within any %(period)s days."
    ),
    "e_visa": _("%(country)s: an e-visa is needed before travel."),
    "eta": _("%(country)s: an electronic travel authorisation is needed."),
    "on_arrival": _("%(country)s: a visa is issued on arrival."),
    "registration": _("%(country)s: register within %(days)s days of arrival."),
    "de_facto": _(
        "A de facto border: Georgia treats entering %(country)s from Russia as "
        "illegal entry into Georgia."
    ),
    "not_your_mode": _("You chose to fly: this is a land crossing."),
    "no_seats": _("No seats seen on this route in the coming week."),
    "sold_out": _("Every report on this route in the coming week says sold out."),
    "airport_closed": _(
        "The airport's border checkpoint is not working (the official list)."
    ),
}


def say(code: str, *, blocks: bool, source_url: str = "", **params: Any) -> Reason:
    """The reason `code`, with its facts (hashable values)."""
    if code not in TEXTS:
        raise KeyError(code)
    return Reason(code, blocks, tuple(sorted(params.items())), source_url)

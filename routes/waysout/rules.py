"""Whether a crossing side, a destination and a flight let one traveller through,
as reasons: each rule that shuts the way says so, each thing worth knowing too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from exitwatch.lib.formatting import from_iso_z
from routes.access.models import AccessMode, VehicleRule, Who
from routes.access.selectors import SideAccess
from routes.entry.models import RuleSource, Visa
from routes.entry.selectors import EffectiveRule
from routes.waysout.profile import Citizenship, Document, Profile, Travel, VisaHeld
from routes.waysout.reasons import Country, Hours, Modes, Reason, Words, say

# States whose visa is a Schengen visa: the ones on Russia's land borders.
SCHENGEN = frozenset({"EE", "FI", "LT", "LV", "NO", "PL"})
# What each way of travelling needs a crossing side to allow.
TRAVEL_NEEDS = {
    Travel.CAR: AccessMode.CAR,
    Travel.BUS: AccessMode.BUS,
    Travel.FOOT: AccessMode.FOOT,
}
# The de facto states' codes in the entry rules.
DE_FACTO_CODES = {"abkhazia": "AB", "south-ossetia": "OS"}
VEHICLE_REASONS = {
    VehicleRule.RU_REGISTERED: "car_refused_registered",
    VehicleRule.RU_OWNED: "car_refused_owned",
}


def side_status_reasons(crossing: dict[str, Any], country: str) -> list[Reason]:
    """Each side's status as of its last sourced claim."""
    found = []
    for side, state in crossing["sides"].items():
        status = state["status"]
        since = from_iso_z(state["observed_at"])
        url = state["source_url"]
        note = Words(state["note"], state["note_ru"])
        if status == "closed":
            code = "ru_side_closed" if side == "ru" else "side_closed"
            found.append(
                say(
                    code,
                    blocks=True,
                    source_url=url,
                    country=Country(country),
                    since=since,
                )
            )
        elif status == "restricted":
            found.append(
                say(
                    "side_restricted",
                    blocks=False,
                    source_url=url,
                    country=Country("RU" if side == "ru" else country),
                    since=since,
                    note=note,
                )
            )
        elif status != "open":
            code = "side_unknown_since" if since else "side_unknown"
            found.append(
                say(
                    code,
                    blocks=True,
                    source_url=url,
                    country=Country("RU" if side == "ru" else country),
                    since=since,
                )
            )
    return found


def access_reasons(
    sides: dict[str, SideAccess], country: str, profile: Profile
) -> list[Reason]:
    """What each side's rule on who may cross says to this traveller."""
    found: list[Reason] = []
    need = TRAVEL_NEEDS.get(profile.mode)
    modes_known = False
    for side, rule in sorted(sides.items()):
        named = Country("RU" if side == "ru" else country)
        url = rule.source_url
        if rule.who == Who.NOBODY or (rule.modes is not None and not rule.modes):
            found.append(
                say("nobody_crosses", blocks=True, source_url=url, country=named)
            )
            continue
        if rule.who == Who.BILATERAL and profile.citizenship == Citizenship.OTHER:
            found.append(
                say(
                    "bilateral_only",
                    blocks=True,
                    source_url=url,
                    country=Country(country),
                )
            )
        if rule.modes is not None:
            modes_known = True
            if need is not None and need not in rule.modes:
                found.append(
                    say(
                        "mode_not_allowed",
                        blocks=True,
                        source_url=url,
                        country=named,
                        modes=Modes(tuple(sorted(rule.modes))),
                    )
                )
        refusal = VEHICLE_REASONS.get(rule.vehicles_refused)
        if refusal and profile.mode == Travel.CAR:
            found.append(
                say(
                    refusal,
                    blocks=True,
                    source_url=url,
                    country=named,
                    since=rule.valid_from,
                )
            )
        if rule.hours:
            found.append(
                say(
                    "hours",
                    blocks=False,
                    source_url=url,
                    country=named,
                    hours=Hours(rule.hours),
                )
            )
    if not modes_known:
        found.append(say("modes_unknown", blocks=False))
    return found


def _curated_since(rule: EffectiveRule) -> datetime:
    """When the curated rule behind a ban began (a visa table says nothing of
    bans, so its later rows do not date one)."""
    return next(
        (b.valid_from for b in rule.basis if b.source_kind != RuleSource.BASELINE),
        rule.valid_from,
    )


def entry_reasons(
    rule: EffectiveRule | None, country: str, profile: Profile
) -> list[Reason]:
    """What the destination lets this traveller do."""
    named = Country(country)
    if profile.citizenship == Citizenship.OTHER:
        return [say("other_citizenship", blocks=False)]
    found: list[Reason] = []
    if profile.citizenship == Citizenship.DUAL:
        found.append(say("dual_citizenship", blocks=False, country=named))
    if rule is None:
        found.append(say("entry_unknown", blocks=False, country=named))
        return found
    terms = rule.terms
    url = rule.basis[0].source_url if rule.basis else ""
    if terms.visa == Visa.REFUSED:
        found.append(say("entry_refused", blocks=True, source_url=url, country=named))
        return found
    if profile.document == Document.INTERNAL:
        if terms.internal_passport_ok:
            found.append(
                say("internal_passport_ok", blocks=False, source_url=url, country=named)
            )
        elif terms.internal_passport_ok is False:
            found.append(
                say(
                    "foreign_passport_needed",
                    blocks=True,
                    source_url=url,
                    country=named,
                )
            )
        elif terms.internal_passport_ok is None:
            found.append(
                say(
                    "internal_passport_unknown",
                    blocks=True,
                    source_url=url,
                    country=named,
                )
            )
    if terms.visa == Visa.REQUIRED:
        schengen = country in SCHENGEN
        if schengen and profile.visa == VisaHeld.SCHENGEN:
            if terms.schengen_visa_holders_refused:
                found.append(
                    say(
                        "schengen_refused",
                        blocks=True,
                        source_url=url,
                        country=named,
                        since=_curated_since(rule),
                    )
                )
        elif not (profile.visa == VisaHeld.OTHER and not schengen):
            found.append(say("visa_needed", blocks=True, source_url=url, country=named))
    elif terms.visa == Visa.FREE and terms.free_days:
        if terms.period_days:
            found.append(
                say(
                    "visa_free_period",
                    blocks=False,
                    source_url=url,
                    country=named,
                    days=terms.free_days,
                    period=terms.period_days,
                )
            )
        else:
            found.append(
                say(
                    "visa_free",
                    blocks=False,
                    source_url=url,
                    country=named,
                    days=terms.free_days,
                )
            )
    elif terms.visa == Visa.FREE:
        found.append(say("no_visa", blocks=False, source_url=url, country=named))
    elif terms.visa in (Visa.E_VISA, Visa.ETA, Visa.ON_ARRIVAL):
        code = {Visa.E_VISA: "e_visa", Visa.ETA: "eta", Visa.ON_ARRIVAL: "on_arrival"}
        found.append(say(code[terms.visa], blocks=False, source_url=url, country=named))
    if terms.registration_days:
        found.append(
            say(
                "registration",
                blocks=False,
                source_url=url,
                country=named,
                days=terms.registration_days,
            )
        )
    return found

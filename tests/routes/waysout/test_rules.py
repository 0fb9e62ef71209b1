"""What a destination and a crossing side say to one traveller, one rule at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from routes.access.selectors import SideAccess
from routes.entry.selectors import EffectiveRule, RuleBasis
from routes.entry.services import RuleTerms
from routes.waysout.profile import Profile
from routes.waysout.rules import access_reasons, entry_reasons

SINCE = datetime(2022, 9, 30, tzinfo=UTC)
URL = "https://example.org/rule"


def rule(destination: str, **terms) -> EffectiveRule:
    basis = (RuleBasis("staff", URL, SINCE, "", ""),)
    return EffectiveRule(destination, RuleTerms(**terms), basis)


def side(**fields) -> SideAccess:
    values = {
        "side": "neighbour",
        "modes": frozenset({"car", "bus"}),
        "who": "anyone",
        "vehicles_refused": "",
        "hours": "",
        "valid_from": SINCE,
        "source_kind": "official",
        "source_url": URL,
        "note_en": "",
        "note_ru": "",
    }
    values.update(fields)
    return SideAccess(**values)


def codes(reasons, *, blocking: bool | None = None) -> list[str]:
    return [r.code for r in reasons if blocking is None or r.blocks == blocking]


def test_an_internal_passport_is_enough_where_the_destination_says_so():
    kazakhstan = rule(
        "KZ", visa="free", free_days=90, period_days=180, internal_passport_ok=True
    )
    reasons = entry_reasons(kazakhstan, "KZ", Profile(document="internal"))
    assert codes(reasons, blocking=True) == []
    assert "visa_free_period" in codes(reasons)


def test_a_destination_that_wants_a_foreign_passport_says_so_in_both_languages():
    georgia = rule("GE", visa="free", free_days=365, internal_passport_ok=False)
    (blocking,) = [
        r
        for r in entry_reasons(georgia, "GE", Profile(document="internal"))
        if r.blocks
    ]
    assert blocking.code == "foreign_passport_needed"
    assert blocking.say("en") == "Georgia needs a foreign passport."
    assert "Грузия" in blocking.say("ru")
    assert blocking.source_url == URL


def test_an_unrecorded_internal_passport_rule_is_not_taken_as_a_yes():
    table_only = rule("TR", visa="free", free_days=60)
    reasons = entry_reasons(table_only, "TR", Profile(document="internal"))
    assert codes(reasons, blocking=True) == ["internal_passport_unknown"]


def test_a_schengen_visa_does_not_help_where_its_holders_are_refused():
    finland = rule("FI", visa="required", schengen_visa_holders_refused=True)
    reasons = entry_reasons(finland, "FI", Profile(visa="schengen"))
    (blocking,) = [r for r in reasons if r.blocks]
    assert blocking.code == "schengen_refused"
    assert blocking.say("en") == (
        "Finland refuses Russian citizens even with a Schengen visa since 30 Sep 2022."
    )
    assert "30 сентября 2022" in blocking.say("ru")


def test_a_schengen_visa_opens_a_schengen_state_that_does_not_refuse_it():
    norway = rule("NO", visa="required", schengen_visa_holders_refused=False)
    assert (
        codes(entry_reasons(norway, "NO", Profile(visa="schengen")), blocking=True)
        == []
    )
    assert codes(entry_reasons(norway, "NO", Profile(visa="none")), blocking=True) == [
        "visa_needed"
    ]
    # A Schengen visa is no visa for China.
    china = rule("CN", visa="required")
    assert codes(
        entry_reasons(china, "CN", Profile(visa="schengen")), blocking=True
    ) == ["visa_needed"]
    assert codes(entry_reasons(china, "CN", Profile(visa="other")), blocking=True) == []


def test_a_foreigner_is_told_the_entry_rules_are_for_russians_not_refused():
    georgia = rule("GE", visa="free", free_days=365, internal_passport_ok=False)
    assert codes(entry_reasons(georgia, "GE", Profile(citizenship="other"))) == [
        "other_citizenship"
    ]


def test_a_car_with_russian_plates_is_turned_back_where_a_side_refuses_it():
    refusing = side(
        vehicles_refused="ru-registered", valid_from=datetime(2023, 9, 16, tzinfo=UTC)
    )
    by_car = access_reasons({"neighbour": refusing}, "FI", Profile(mode="car"))
    (blocking,) = [r for r in by_car if r.blocks]
    assert (
        blocking.say("en")
        == "Finland turns back cars registered in Russia since 16 Sep 2023."
    )
    # The same side lets a bus through.
    assert (
        codes(
            access_reasons({"neighbour": refusing}, "FI", Profile(mode="bus")),
            blocking=True,
        )
        == []
    )


def test_a_way_of_crossing_the_side_does_not_allow_is_shut():
    no_walking = side(modes=frozenset({"car", "bus"}))
    reasons = access_reasons({"neighbour": no_walking}, "GE", Profile(mode="foot"))
    (blocking,) = [r for r in reasons if r.blocks]
    assert blocking.code == "mode_not_allowed"
    assert (
        blocking.say("en") == "Georgia's side lets only these through here: bus, car."
    )
    # Travelling "any way", a side that lets cars through is a way.
    assert (
        codes(access_reasons({"neighbour": no_walking}, "GE", Profile()), blocking=True)
        == []
    )


def test_a_bilateral_crossing_is_shut_to_a_third_country_citizen_only():
    bilateral = side(side="ru", who="bilateral")
    assert (
        codes(access_reasons({"ru": bilateral}, "KZ", Profile()), blocking=True) == []
    )
    assert codes(
        access_reasons({"ru": bilateral}, "KZ", Profile(citizenship="other")),
        blocking=True,
    ) == ["bilateral_only"]


def test_a_side_that_admits_no_traveller_is_shut_and_unknown_modes_are_said():
    assert codes(
        access_reasons({"neighbour": side(who="nobody")}, "CN", Profile()),
        blocking=True,
    ) == ["nobody_crosses"]
    assert codes(access_reasons({}, "CN", Profile(mode="car"))) == ["modes_unknown"]

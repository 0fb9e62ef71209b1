"""Paths of the recorded samples in tests/data (see tests/data/README.md)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
US_RSS = DATA / "us-state-travel-advisories" / "TAsTWs-2025-10-14-subset.xml"
UK_DIR = DATA / "uk-fcdo-govuk-content-api"
UK_TURKEY = UK_DIR / "publishing-api-example-travel_advice-alt-country.json"
UK_ALBANIA = UK_DIR / "publishing-api-example-travel_advice-full-country.json"
UK_ALBANIA_NO_SUMMARY = (
    UK_DIR / "publishing-api-example-travel_advice-full-country-without-summary.json"
)
UK_ALBANIA_WITHDRAWN = (
    UK_DIR / "publishing-api-example-travel_advice-withdrawn-full-country.json"
)
UK_ANTARCTICA = UK_DIR / "publishing-api-example-travel_advice-no-parts.json"
UK_INDEX = UK_DIR / "publishing-api-example-travel_advice_index-index.json"
CA_INDEX = DATA / "ca-travel-voyage" / "index-alpha-eng-2014-10-02.json"
AU_EXPORT = DATA / "au-smartraveller" / "destinations-export-2026-04.json"
TRAVELPAYOUTS = DATA / "travelpayouts" / "prices_for_dates-SVO-2026-03-constructed.json"
VOLUNTEER_CSV = DATA / "flights" / "volunteers-2026-03-constructed.csv"
# Rosgranstroy's checkpoint list: the two copies shipped with the seed (routes/seed/
# rosgranstroy/, verbatim from shared/samples), read from there, not copied twice.
ROSGRANSTROY_DIR = DATA.parent.parent / "routes" / "seed" / "rosgranstroy"
ROSGRANSTROY_JANUARY = ROSGRANSTROY_DIR / "map_data-2026-01-24.json"
ROSGRANSTROY_JUNE = ROSGRANSTROY_DIR / "map_data-2026-06-08.json"

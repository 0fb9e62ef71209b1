"""Writes for the routes app, by what they change: crossings (the one write path for
a crossing's state) and flight reports. Import from here."""

from routes.services.crossings import (
    CLOCK_SKEW,
    DETAIL_FIELDS,
    MAX_NOTE_LENGTH,
    CrossingChangedError,
    crossing_edit_details,
    crossing_update_record,
)
from routes.services.flights import (
    FLIGHT_REQUIRED_FIELDS,
    FLIGHT_ROW_FIELDS,
    MAX_FLIGHT_ROWS,
    FlightImportResult,
    FlightRowsInvalid,
    flight_report_upsert,
    flight_reports_import,
    flight_reports_import_mixed,
)

__all__ = [
    "CLOCK_SKEW",
    "DETAIL_FIELDS",
    "FLIGHT_REQUIRED_FIELDS",
    "FLIGHT_ROW_FIELDS",
    "MAX_FLIGHT_ROWS",
    "MAX_NOTE_LENGTH",
    "CrossingChangedError",
    "FlightImportResult",
    "FlightRowsInvalid",
    "crossing_edit_details",
    "crossing_update_record",
    "flight_report_upsert",
    "flight_reports_import",
    "flight_reports_import_mixed",
]

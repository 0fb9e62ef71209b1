"""Flight price providers and the volunteer spreadsheet format.

Each module turns an outside document into rows for
routes.flights.services.flight_reports_import, in the format FLIGHT_ROW_FIELDS
(routes.flights.validation) describes; nothing here writes to the database.
"""

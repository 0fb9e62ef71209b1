"""Flight price providers and the volunteer spreadsheet format.

Each module turns an outside document into rows for
routes.flights.services.flight_reports_import (see FLIGHT_ROW_FIELDS there);
nothing here writes to the database.
"""

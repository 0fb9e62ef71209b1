"""Volunteer spreadsheets: the documented CSV layout, and the import command."""

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from routes.flights.models import FlightImportBatch, FlightReport
from routes.flights.sources.volunteer_csv import HEADER, SpreadsheetError, parse
from tests.datafiles import VOLUNTEER_CSV
from tests.factories import flight_airports

RAW = VOLUNTEER_CSV.read_bytes()
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def airports(db):
    flight_airports("IST", "EVN", "DXB", "BEG")


def test_the_sample_sheet_reads_as_four_rows_with_volunteers_spellings():
    rows = parse(RAW)
    assert len(rows) == 4
    assert rows.lines == [2, 3, 4, 6]  # line 5 is blank
    first, sold_out, dubai, belgrade = rows
    assert first["price"] == "45500.00"
    assert first["observed_at"] == datetime(2026, 2, 28, 18, 5, tzinfo=MOSCOW)
    assert sold_out["availability"] == "sold_out"  # "sold out"
    assert belgrade["availability"] == "sold_out"  # "нет мест"
    assert dubai["observed_at"] == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)


def test_semicolons_and_excels_bom_are_accepted():
    raw = ("\ufeff" + HEADER.replace(",", ";") + "\n").encode() + (
        b"SVO;IST;2026-03-03;;;available;;100;EUR;2026-03-01 10:00;x1;\n"
    )
    (row,) = parse(raw)
    assert (row["origin"], row["price"], row["currency"]) == ("SVO", "100", "EUR")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00o", "not UTF-8"),
        (
            b"origin,destination\nSVO,IST\n",
            "missing columns departure_date, observed_at",
        ),
        (
            (HEADER + ",gate\n").encode(),
            "unknown columns gate",
        ),
        ((HEADER + "\n").encode(), "a header but no rows"),
        ((HEADER + "\nSVO,IST,1,2,3,4,5,6,7,8,9,10,11,12\n").encode(), "more cells"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(raw, message):
    with pytest.raises(SpreadsheetError, match=message):
        parse(raw)


def test_the_command_imports_the_sheet_and_a_second_run_changes_nothing(airports):
    out = StringIO()
    call_command("import_flights", str(VOLUNTEER_CSV), stdout=out)
    assert out.getvalue().endswith(
        "4 rows: 4 new, 0 changed, 0 confirmed, 0 unchanged, 0 older than what is "
        "stored\n"
    )
    dubai = FlightReport.objects.get(source_ref="sheet1-r4")
    assert (dubai.price, dubai.currency, dubai.seats) == (Decimal("520.00"), "USD", 9)
    assert dubai.source == "volunteers"
    out = StringIO()
    call_command("import_flights", str(VOLUNTEER_CSV), stdout=out)
    assert "0 new, 0 changed, 0 confirmed, 4 unchanged" in out.getvalue()
    assert FlightReport.objects.count() == 4
    # The first run is recorded as one batch by the command; the second wrote nothing.
    batch = FlightImportBatch.objects.get()
    assert (batch.via, batch.actor_label, batch.created) == (
        "command",
        f"import_flights {VOLUNTEER_CSV.name}",
        4,
    )


def test_a_bad_row_names_its_line_and_nothing_is_imported(airports, tmp_path):
    sheet = tmp_path / "flights.csv"
    sheet.write_bytes(RAW.replace(b"SVO,DXB", b"SVO,XXX").replace(b"-r2,", b"-r3,"))
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_flights", str(sheet), stderr=err)
    assert str(caught.value) == (
        f"{sheet}: 2 of 4 rows are invalid; nothing was imported"
    )
    assert err.getvalue().splitlines() == [
        f"{sheet}:3: source_ref: Repeats the source_ref of row 1.",
        f"{sheet}:4: destination: Unknown airport 'XXX' (use its IATA code).",
    ]
    assert FlightReport.objects.count() == 0


def test_a_missing_file_is_one_clear_line(db):
    with pytest.raises(CommandError, match="^/no/such.csv: No such file or directory$"):
        call_command("import_flights", "/no/such.csv")

"""/flights/ with nothing to show says so, and `make run` loads the recorded
volunteer sheets so that a newcomer's /flights/ is not empty."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from routes.flights.models import FlightReport
from routes.seeding import SEED_DIR
from tests.factories import FlightReportFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = sorted((ROOT / "tests" / "data" / "flights").glob("*.csv"))


def test_with_no_reports_at_all_the_page_says_so(client):
    html = client.get("/flights/").content.decode()
    assert "No flight reports yet." in html
    assert "0 reports" in html


def test_with_no_report_matching_the_filters_the_page_says_so(client):
    FlightReportFactory(price=30000)
    html = client.get("/flights/?max_price=1").content.decode()
    assert "No flight report matches these filters." in html


def test_make_run_imports_every_recorded_sheet():
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py import_flights" in plan
    assert "tests/data/flights/*.csv" in plan
    assert SAMPLES


def test_the_recorded_sheets_load_onto_a_seeded_database(client):
    from routes.flights.seeding import seed_airports
    from routes.seeding import SeedResult

    seed_airports(directory=SEED_DIR, result=SeedResult())
    for sheet in SAMPLES:
        call_command("import_flights", str(sheet))
    assert FlightReport.objects.count() > 0
    html = client.get("/flights/").content.decode()
    assert "No flight reports yet." not in html
    assert "Moscow (SVO) → Istanbul (IST)" in html

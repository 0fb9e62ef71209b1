"""The passport-index visa table (github.com/ilyankou/passport-index-dataset).

Two shapes, both CSV: the tidy table (`Passport,Destination,Requirement`) of
one date, and monthly extracts with the snapshot date first
(`snapshot,passport,destination,requirement`). A requirement is a number of
visa-free days, or one of the words below; `-1` is the passport's own country.
What the table does not hold (internal passports, bans on visa holders,
closed borders) it cannot say: those come from curated rules.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from routes.entry.models import Visa

URL = "https://github.com/ilyankou/passport-index-dataset"
REQUIREMENTS = {
    "visa free": Visa.FREE,
    "visa on arrival": Visa.ON_ARRIVAL,
    "e-visa": Visa.E_VISA,
    "eta": Visa.ETA,
    "visa required": Visa.REQUIRED,
    "no admission": Visa.REFUSED,
    # Older monthly rows: a pandemic entry ban, and Qatar's permit for the
    # 2022 World Cup, which stood in for any visa.
    "covid ban": Visa.REFUSED,
    "hayya entry permit": Visa.ETA,
}
OWN_COUNTRY = "-1"


class VisaTableError(ValueError):
    """Not a passport-index table: nothing from it may be stored."""


@dataclass(frozen=True)
class TableRow:
    snapshot: date
    passport: str
    destination: str
    visa: str
    free_days: int | None


def _requirement(value: str, where: str) -> tuple[str, int | None]:
    value = value.strip().lower()
    if value.isdigit():
        return Visa.FREE, int(value)
    if value in REQUIREMENTS:
        return REQUIREMENTS[value], None
    raise VisaTableError(f"{where}: unknown requirement {value!r}")


def parse(body: bytes, *, snapshot: date | None = None) -> list[TableRow]:
    """Every row but a passport's own country. A tidy table needs the date it
    was published as `snapshot`. Raises VisaTableError on anything else."""
    try:
        reader = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        header = [h.strip().lower() for h in next(reader)]
    except (UnicodeDecodeError, StopIteration, csv.Error) as exc:
        raise VisaTableError(f"not a CSV visa table: {exc}") from None
    dated = header == ["snapshot", "passport", "destination", "requirement"]
    if not dated and header != ["passport", "destination", "requirement"]:
        raise VisaTableError(f"unexpected columns {header}")
    if not dated and snapshot is None:
        raise VisaTableError("a table without a snapshot column needs its date")
    rows = []
    for number, fields in enumerate(reader, start=2):
        where = f"line {number}"
        if not fields:
            continue
        if len(fields) != len(header):
            raise VisaTableError(f"{where}: {len(fields)} fields, not {len(header)}")
        if dated:
            try:
                day = date.fromisoformat(fields[0].strip())
            except ValueError:
                raise VisaTableError(f"{where}: bad date {fields[0]!r}") from None
            fields = fields[1:]
        else:
            day = snapshot
        passport, destination, requirement = (f.strip().upper() for f in fields)
        if len(passport) != 2 or len(destination) != 2:
            raise VisaTableError(f"{where}: country codes must have two letters")
        if requirement == OWN_COUNTRY:
            continue
        visa, days = _requirement(requirement, where)
        rows.append(TableRow(day, passport, destination, visa, days))
    return rows

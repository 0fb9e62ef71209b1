"""What a crossing's state may be: statuses, sides, kinds, modes, sources.

The vocabulary the models, the write path and the readers share, and the one
rule that joins two sides' claims into the status a traveller meets.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")


# How strict each status is for a person leaving: a side nobody has a sourced
# claim about is "unknown", which is stricter than "open" because an open
# Russian side alone does not let anyone through.
STRICTNESS = {
    Status.OPEN: 0,
    Status.UNKNOWN: 1,
    Status.RESTRICTED: 2,
    Status.CLOSED: 3,
}


def stricter(*statuses: str) -> str:
    """The status a traveller meets when every side's status applies at once."""
    return max(statuses, key=lambda s: STRICTNESS[Status(s)], default=Status.UNKNOWN)


def combined_status(
    ru: tuple[str, datetime | None], neighbour: tuple[str, datetime | None]
) -> tuple[str, datetime | None]:
    """A crossing's status from its two sides' (status, observed at), and when
    the claim behind it was made.

    Open needs both sides open, so it is only as recent as the older of the
    two; a closure or a restriction needs one side, so it dates from the newest
    claim at that level; an unknown dates from the last sourced fact, if any.
    """
    status = stricter(ru[0], neighbour[0])
    moments = [at for _, at in (ru, neighbour) if at is not None]
    if status == Status.OPEN:
        return status, min(moments) if moments else None
    at_level = [at for st, at in (ru, neighbour) if st == status and at is not None]
    pool = at_level or moments
    return status, max(pool) if pool else None


class Side(models.TextChoices):
    """Which side of the border an observation's status is about.

    "both" is a claim about the crossing as a whole (a traveller who was turned
    back, a staff edit that names no side, the history from before sides were
    recorded); "" means the observation carries no status claim at all (a wait).
    """

    NONE = "", _("No status claim")
    RUSSIAN = "ru", _("Russian side")
    NEIGHBOUR = "neighbour", _("Neighbour's side")
    BOTH = "both", _("Both sides")


# The two sides whose state a crossing keeps, as field prefixes on it.
SIDES = (Side.RUSSIAN, Side.NEIGHBOUR)
SIDE_PREFIX = {Side.RUSSIAN: "ru", Side.NEIGHBOUR: "neighbour"}


class DeFacto(models.TextChoices):
    """Territories whose border posts Russia runs but no state on its border
    recognises: their crossings are de facto borders, not international ones."""

    NONE = "", _("—")
    ABKHAZIA = "abkhazia", _("Abkhazia")
    SOUTH_OSSETIA = "south-ossetia", _("South Ossetia")


class CrossingKind(models.TextChoices):
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    PEDESTRIAN = "pedestrian", _("Pedestrian")
    RIVER = "river", _("River (ferry or pontoon)")
    SEA = "sea", _("Sea port")


class Mode(models.TextChoices):
    """Ways to cross; each has its own queue and wait."""

    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    TRUCK = "truck", _("Truck")
    PEDESTRIAN = "pedestrian", _("On foot")
    BICYCLE = "bicycle", _("Bicycle")


# What a crossing keeps of each side's last claim, as `<side>_<field>`.
SIDE_STATE_FIELDS = (
    "status",
    "observed_at",
    "source_kind",
    "source_url",
    "note",
    "note_ru",
)

# The Russian side's published facts an observation may carry, and the crossing
# field each one sets.
SIDE_FACT_FIELDS = {
    "hours": "hours",
    "hours_text_ru": "hours_text_ru",
    "bilateral": "bilateral",
    "cargo_only": "cargo_only",
    "latitude": "official_latitude",
    "longitude": "official_longitude",
}


# Modes whose wait is tracked on the crossing itself (a bicycle joins the car queue).
WAIT_MODES = ("car", "bus", "truck", "pedestrian")


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    TRAVELLER = "traveller", _("Traveller")
    FEED = "feed", _("Feed")

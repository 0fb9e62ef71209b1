"""A believable morning on the dashboard: the real seed plus fresh reports.

The seed (routes/seed/) holds every crossing with its sourced 2022 status, so on its
own the whole map is old data. Here a few crossings get reports from the last hours
through the write path, and flights and advisories get a week of rows: enough for
every panel, the faded and the fresh, the chart and a sold-out route.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from routes.models import BorderCrossing, SourceKind
from routes.services import crossing_update_record
from tests.factories import (
    AdvisoryFactory,
    AdvisorySourceFactory,
    AirportFactory,
    FlightReportFactory,
)
from tests.support.seeded import seed_copy

SOURCE = "https://t.me/exitwatch_border/101"

# (slug, hours ago, source, status, waits, queue)
REPORTS = [
    ("verkhny-lars", 9, SourceKind.STAFF, "open", {"car": 1440, "truck": 3000}, 3500),
    ("verkhny-lars", 5, SourceKind.TRAVELLER, None, {"car": 900}, 2600),
    ("verkhny-lars", 2, SourceKind.TRAVELLER, None, {"car": 420, "bus": 120}, 1900),
    ("verkhny-lars", 0.4, SourceKind.STAFF, None, {"car": 360, "bus": 90}, 1800),
    (
        "torfyanovka",
        3,
        SourceKind.OFFICIAL,
        "restricted",
        {"car": 120, "bus": 60},
        None,
    ),
    ("ivangorod", 1, SourceKind.TRAVELLER, "restricted", {"pedestrian": 30}, None),
    ("karaozek", 0.8, SourceKind.TRAVELLER, "open", {"car": 45, "truck": 240}, 60),
    ("kyakhta", 1.5, SourceKind.PARTNER, "open", {"car": 180}, None),
]


def build_dashboard_scenario(*, now: datetime | None = None) -> None:
    now = now or timezone.now()
    seed_copy()
    for slug, hours, source, status, waits, queue in REPORTS:
        crossing_update_record(
            crossing=BorderCrossing.objects.get(slug=slug),
            source_kind=source,
            status=status,
            waits=waits,
            queue_length=queue,
            note="Queue moving slowly" if slug == "verkhny-lars" and hours < 1 else "",
            # A status is a claim: staff, partners and officials give its source.
            source_url=SOURCE if status and source != SourceKind.TRAVELLER else "",
            observed_at=now - timedelta(hours=hours),
            actor_label="scenario",
        )
    _flights(now)
    _advisories(now)


def _flights(now: datetime) -> None:
    today = timezone.localdate(now)
    airports = {a.iata: a for a in AirportFactory._meta.model.objects.all()}
    rows = [
        ("SVO", "IST", 1, "available", 4, 45000),
        ("SVO", "IST", 2, "few", 1, 52000),
        ("LED", "IST", 1, "few", 2, 61000),
        ("SVO", "EVN", 3, "available", 9, 38000),
        ("VKO", "DXB", 1, "sold_out", 0, None),
        ("VKO", "DXB", 2, "sold_out", 0, None),
        ("KZN", "TAS", 4, "unknown", None, None),
    ]
    for i, (origin, destination, days, availability, seats, price) in enumerate(rows):
        FlightReportFactory(
            origin=airports[origin],
            destination=airports[destination],
            departure_date=today + timedelta(days=days),
            availability=availability,
            seats=seats,
            price=price,
            currency="RUB" if price else "",
            airline="Scenario Air",
            flight_number=f"SA{100 + i}",
            observed_at=now - timedelta(minutes=20 + 15 * i),
            source_ref=f"scenario-{i}",
        )


def _advisories(now: datetime) -> None:
    # The four governments whose feeds the workers read (advisories migration 0002
    # creates the sources; the factory finds them by key).
    sources = [
        ("us-state", "US", 4, "Do Not Travel"),
        ("uk-fcdo", "GB", 4, "Advise against all travel"),
        ("ca-travel", "CA", 4, "Avoid all travel"),
        ("au-smartraveller", "AU", 4, "Do not travel"),
    ]
    for i, (key, issuer, level, text) in enumerate(sources):
        source = AdvisorySourceFactory(key=key, issuer=issuer)
        # Source health: every feed fetched a while ago, the last one failing now.
        source.last_attempt_at = now - timedelta(minutes=5)
        source.last_success_at = now - timedelta(minutes=35 + 10 * i)
        if i == len(sources) - 1:
            source.last_error_at = now - timedelta(minutes=5)
            source.last_error = "HTTP 503 from the feed"
        source.save()
        AdvisoryFactory(
            source=source,
            level=level,
            level_text=text,
            title=f"Russia: {text}",
            published_at=now - timedelta(days=30 + 7 * i),
        )

"""Airports, flight reports and flight providers move from the routes app into
flights, keeping their tables (routes_airport, routes_flightreport,
routes_flightprovider), their rows and their content types."""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models

from exitwatch.lib.migrations import relabel_content_types

LABEL = "flights"
MODELS = ("airport", "flightreport", "flightprovider")


def forwards(apps, schema_editor):
    # Permissions and admin history follow the models to their new app.
    relabel_content_types(apps, schema_editor, models=MODELS, old="routes", new=LABEL)


def backwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, models=MODELS, old=LABEL, new="routes")


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0007_report_moderators_notified"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of the app changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FlightProvider",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "last_attempt_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last attempt"
                            ),
                        ),
                        (
                            "last_success_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last success"
                            ),
                        ),
                        (
                            "last_error_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last error"
                            ),
                        ),
                        (
                            "last_error",
                            models.TextField(
                                blank=True, verbose_name="last error message"
                            ),
                        ),
                        (
                            "items_seen",
                            models.PositiveIntegerField(
                                default=0, verbose_name="items seen"
                            ),
                        ),
                        (
                            "items_changed",
                            models.PositiveIntegerField(
                                default=0, verbose_name="items changed"
                            ),
                        ),
                        (
                            "key",
                            models.SlugField(
                                max_length=40, unique=True, verbose_name="key"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        (
                            "url",
                            models.URLField(
                                blank=True, max_length=500, verbose_name="API URL"
                            ),
                        ),
                        (
                            "enabled",
                            models.BooleanField(
                                default=False, verbose_name="configured"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "flight provider",
                        "verbose_name_plural": "flight providers",
                        "db_table": "routes_flightprovider",
                        "ordering": ["key"],
                    },
                ),
                migrations.CreateModel(
                    name="Airport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "iata",
                            models.CharField(
                                max_length=3, unique=True, verbose_name="IATA code"
                            ),
                        ),
                        (
                            "icao",
                            models.CharField(
                                blank=True, max_length=4, verbose_name="ICAO code"
                            ),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                max_length=120, verbose_name="name (English)"
                            ),
                        ),
                        (
                            "name_ru",
                            models.CharField(
                                max_length=120, verbose_name="name (Russian)"
                            ),
                        ),
                        (
                            "city_en",
                            models.CharField(
                                max_length=120, verbose_name="city (English)"
                            ),
                        ),
                        (
                            "city_ru",
                            models.CharField(
                                max_length=120, verbose_name="city (Russian)"
                            ),
                        ),
                        (
                            "country",
                            django_countries.fields.CountryField(
                                max_length=2, verbose_name="country"
                            ),
                        ),
                        ("latitude", models.FloatField(verbose_name="latitude")),
                        ("longitude", models.FloatField(verbose_name="longitude")),
                        (
                            "note",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="note"
                            ),
                        ),
                        (
                            "source",
                            models.URLField(max_length=500, verbose_name="reference"),
                        ),
                    ],
                    options={
                        "verbose_name": "airport",
                        "verbose_name_plural": "airports",
                        "db_table": "routes_airport",
                        "ordering": ["iata"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("latitude__gte", -90), ("latitude__lte", 90)
                                ),
                                name="routes_airport_latitude_range",
                                violation_error_message="Latitude must be between -90 and 90.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("longitude__gte", -180), ("longitude__lte", 180)
                                ),
                                name="routes_airport_longitude_range",
                                violation_error_message="Longitude must be between -180 and 180.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("iata__regex", "^[A-Z]{3}$")),
                                name="routes_airport_iata_format",
                                violation_error_message="IATA code must be three capital letters.",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FlightReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "departure_date",
                            models.DateField(verbose_name="departure date"),
                        ),
                        (
                            "airline",
                            models.CharField(
                                blank=True, max_length=80, verbose_name="airline"
                            ),
                        ),
                        (
                            "flight_number",
                            models.CharField(
                                blank=True, max_length=12, verbose_name="flight"
                            ),
                        ),
                        (
                            "availability",
                            models.CharField(
                                choices=[
                                    ("available", "Seats available"),
                                    ("few", "Few seats left"),
                                    ("sold_out", "Sold out"),
                                    ("unknown", "Unknown"),
                                ],
                                default="unknown",
                                max_length=16,
                                verbose_name="availability",
                            ),
                        ),
                        (
                            "seats",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="seats seen"
                            ),
                        ),
                        (
                            "price",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=12,
                                null=True,
                                verbose_name="price",
                            ),
                        ),
                        (
                            "currency",
                            models.CharField(
                                blank=True, max_length=3, verbose_name="currency"
                            ),
                        ),
                        (
                            "observed_at",
                            models.DateTimeField(verbose_name="observed at"),
                        ),
                        (
                            "source",
                            models.CharField(max_length=40, verbose_name="source"),
                        ),
                        (
                            "source_ref",
                            models.CharField(
                                max_length=200, verbose_name="source reference"
                            ),
                        ),
                        (
                            "source_url",
                            models.URLField(
                                blank=True, max_length=500, verbose_name="source URL"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "destination",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="flights.airport",
                            ),
                        ),
                        (
                            "origin",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="flights.airport",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "flight report",
                        "verbose_name_plural": "flight reports",
                        "db_table": "routes_flightreport",
                        "ordering": ["departure_date", "price"],
                        "indexes": [
                            models.Index(
                                fields=["origin", "destination", "departure_date"],
                                name="routes_flig_origin__ed5053_idx",
                            ),
                            models.Index(
                                fields=["departure_date", "price"],
                                name="routes_flig_departu_10a038_idx",
                            ),
                            models.Index(
                                fields=[
                                    "departure_date",
                                    "origin",
                                    "destination",
                                    "currency",
                                ],
                                name="routes_flight_summary_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("source", "source_ref"),
                                name="routes_flight_source_ref_unique",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("price__isnull", True),
                                    ("price__gt", 0),
                                    _connector="OR",
                                ),
                                name="routes_flight_price_positive",
                                violation_error_message="Price must be greater than zero.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("price__isnull", True), ("currency", "")),
                                    models.Q(
                                        ("price__isnull", False),
                                        (
                                            "currency__in",
                                            (
                                                "AED",
                                                "AFN",
                                                "ALL",
                                                "AMD",
                                                "AOA",
                                                "ARS",
                                                "AUD",
                                                "AWG",
                                                "AZN",
                                                "BAM",
                                                "BBD",
                                                "BDT",
                                                "BHD",
                                                "BIF",
                                                "BMD",
                                                "BND",
                                                "BOB",
                                                "BOV",
                                                "BRL",
                                                "BSD",
                                                "BTN",
                                                "BWP",
                                                "BYN",
                                                "BZD",
                                                "CAD",
                                                "CDF",
                                                "CHE",
                                                "CHF",
                                                "CHW",
                                                "CLF",
                                                "CLP",
                                                "CNY",
                                                "COP",
                                                "COU",
                                                "CRC",
                                                "CUP",
                                                "CVE",
                                                "CZK",
                                                "DJF",
                                                "DKK",
                                                "DOP",
                                                "DZD",
                                                "EGP",
                                                "ERN",
                                                "ETB",
                                                "EUR",
                                                "FJD",
                                                "FKP",
                                                "GBP",
                                                "GEL",
                                                "GHS",
                                                "GIP",
                                                "GMD",
                                                "GNF",
                                                "GTQ",
                                                "GYD",
                                                "HKD",
                                                "HNL",
                                                "HTG",
                                                "HUF",
                                                "IDR",
                                                "ILS",
                                                "INR",
                                                "IQD",
                                                "IRR",
                                                "ISK",
                                                "JMD",
                                                "JOD",
                                                "JPY",
                                                "KES",
                                                "KGS",
                                                "KHR",
                                                "KMF",
                                                "KPW",
                                                "KRW",
                                                "KWD",
                                                "KYD",
                                                "KZT",
                                                "LAK",
                                                "LBP",
                                                "LKR",
                                                "LRD",
                                                "LSL",
                                                "LYD",
                                                "MAD",
                                                "MDL",
                                                "MGA",
                                                "MKD",
                                                "MMK",
                                                "MNT",
                                                "MOP",
                                                "MRU",
                                                "MUR",
                                                "MVR",
                                                "MWK",
                                                "MXN",
                                                "MXV",
                                                "MYR",
                                                "MZN",
                                                "NAD",
                                                "NGN",
                                                "NIO",
                                                "NOK",
                                                "NPR",
                                                "NZD",
                                                "OMR",
                                                "PAB",
                                                "PEN",
                                                "PGK",
                                                "PHP",
                                                "PKR",
                                                "PLN",
                                                "PYG",
                                                "QAR",
                                                "RON",
                                                "RSD",
                                                "RUB",
                                                "RWF",
                                                "SAR",
                                                "SBD",
                                                "SCR",
                                                "SDG",
                                                "SEK",
                                                "SGD",
                                                "SHP",
                                                "SLE",
                                                "SOS",
                                                "SRD",
                                                "SSP",
                                                "STN",
                                                "SVC",
                                                "SYP",
                                                "SZL",
                                                "THB",
                                                "TJS",
                                                "TMT",
                                                "TND",
                                                "TOP",
                                                "TRY",
                                                "TTD",
                                                "TWD",
                                                "TZS",
                                                "UAH",
                                                "UGX",
                                                "USD",
                                                "USN",
                                                "UYI",
                                                "UYU",
                                                "UYW",
                                                "UZS",
                                                "VED",
                                                "VES",
                                                "VND",
                                                "VUV",
                                                "WST",
                                                "XAD",
                                                "XAF",
                                                "XAG",
                                                "XAU",
                                                "XBA",
                                                "XBB",
                                                "XBC",
                                                "XBD",
                                                "XCD",
                                                "XCG",
                                                "XDR",
                                                "XOF",
                                                "XPD",
                                                "XPF",
                                                "XPT",
                                                "XSU",
                                                "XTS",
                                                "XUA",
                                                "XXX",
                                                "YER",
                                                "ZAR",
                                                "ZMW",
                                                "ZWG",
                                            ),
                                        ),
                                    ),
                                    _connector="OR",
                                ),
                                name="routes_flight_currency_iso4217",
                                violation_error_message="A price needs an ISO 4217 currency code (e.g. RUB, USD).",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "availability__in",
                                        ["available", "few", "sold_out", "unknown"],
                                    )
                                ),
                                name="routes_flight_availability_valid",
                                violation_error_message="Unknown availability.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("origin", models.F("destination")), _negated=True
                                ),
                                name="routes_flight_distinct_airports",
                                violation_error_message="Origin and destination must differ.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("availability", "sold_out"), _negated=True
                                    ),
                                    ("seats__isnull", True),
                                    ("seats", 0),
                                    _connector="OR",
                                ),
                                name="routes_flight_sold_out_no_seats",
                                violation_error_message="A sold-out flight cannot have seats.",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""Admin for airports, flight reports, the sources each partner account may write,
the record of import batches, and the flight price providers' health."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_countries.filters import CountryFilter

from exitwatch.lib.admin import MarksMapStaleAdmin, WorkerSourceAdmin
from routes.flights.models import (
    FLIGHT_DETAIL_FIELDS,
    Airport,
    FlightImportBatch,
    FlightProvider,
    FlightReport,
    FlightSourceGrant,
)


@admin.register(Airport)
class AirportAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    list_display = ["iata", "name_en", "city_en", "country"]
    list_filter = [("country", CountryFilter)]
    search_fields = ["iata", "icao", "name_en", "name_ru", "city_en", "city_ru"]


@admin.register(FlightReport)
class FlightReportAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    list_display = [
        "origin",
        "destination",
        *FLIGHT_DETAIL_FIELDS,
        "source",
        "observed_at",
    ]
    list_filter = [
        "availability",
        "source",
        "origin",
        ("destination__country", CountryFilter),
    ]
    search_fields = ["flight_number", "airline", "source_ref"]
    list_select_related = ["origin", "destination"]
    raw_id_fields = ["batch"]
    date_hierarchy = "departure_date"


@admin.register(FlightSourceGrant)
class FlightSourceGrantAdmin(admin.ModelAdmin):
    """Which sources each partner account's API token may write. An account
    without a grant can post no flight reports, whatever its permissions."""

    list_display = ["account", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["account__username", "source"]


@admin.register(FlightImportBatch)
class FlightImportBatchAdmin(admin.ModelAdmin):
    """Who wrote which batch of flight reports, and when: a record, not edited."""

    list_display = [
        "received_at",
        "source",
        "via",
        "actor_label",
        "rows",
        "created",
        "updated",
        "confirmed",
    ]
    list_filter = ["via", "source"]
    search_fields = ["source", "actor_label"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Flight price providers: health only, written by the workers.


admin.site.register(FlightProvider, WorkerSourceAdmin)

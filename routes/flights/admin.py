"""Admin for airports, flight reports and the flight price providers' health."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from exitwatch.lib.admin import (
    SOURCE_HEALTH_FIELDS,
    MarksMapStaleAdmin,
    SourceHealthAdmin,
)
from routes.flights.models import (
    FLIGHT_DETAIL_FIELDS,
    Airport,
    FlightProvider,
    FlightReport,
)


@admin.register(Airport)
class AirportAdmin(MarksMapStaleAdmin, admin.ModelAdmin):
    list_display = ["iata", "name_en", "city_en", "country"]
    list_filter = ["country"]
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
    list_filter = ["availability", "source", "origin", "destination__country"]
    search_fields = ["flight_number", "airline", "source_ref"]
    list_select_related = ["origin", "destination"]
    date_hierarchy = "departure_date"


# Flight price providers: health only, written by the workers.


@admin.register(FlightProvider)
class FlightProviderAdmin(SourceHealthAdmin, admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "enabled",
        "last_success_at",
        "overdue",
        "last_error_at",
        "items_seen",
        "items_changed",
    ]
    readonly_fields = ["key", "name", "url", "enabled", *SOURCE_HEALTH_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

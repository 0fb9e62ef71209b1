"""API v1 views for airports and flight reports: the list, the per-day summary,
bulk posts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from exitwatch.lib.api.base import (
    CSVRenderer,
    KeysetOrdering,
    NullsLast,
    StrictParamsMixin,
    base_renderers,
)
from exitwatch.lib.api.schema import error, read_responses
from routes.flights.api import serializers as s
from routes.flights.filtersets import AirportFilterSet, FlightFilterSet
from routes.flights.models import Airport, FlightReport
from routes.flights.selectors import SEATS_AVAILABLE, flight_sources_refused
from routes.flights.services import FlightRowsInvalid, flight_reports_import_mixed


class CanPostFlights(BasePermission):
    message = _("Posting flight reports needs the permission to add and change them.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return request.user.has_perms(
            ["flights.add_flightreport", "flights.change_flightreport"]
        )


@extend_schema_view(
    list=extend_schema(
        summary="Flight reports",
        description="Observations of seats and prices, one row per source report.",
        responses=read_responses(s.FlightReportSerializer(many=True), csv=True),
    ),
    retrieve=extend_schema(
        summary="One flight report",
        responses=read_responses(
            s.FlightReportSerializer, csv=True, missing="No such report."
        ),
    ),
    create=extend_schema(
        summary="Post flight reports (bulk, idempotent)",
        description=(
            "Up to 500 reports; each is identified by (source, source_ref), so "
            "posting the same batch again changes nothing. All or nothing: one bad "
            "report rejects the batch with its errors at its index. A token writes "
            "only the sources granted to its account (staff grant them in the "
            "admin); a report of any other source refuses the whole batch with "
            "403, naming the sources in `refused_sources`."
        ),
        request=s.FlightBulkInputSerializer,
        responses={
            200: s.FlightBulkResultSerializer,
            **error(400, "Invalid input: messages by field."),
            **error(401, "No or bad token."),
            (403, "application/json"): OpenApiResponse(
                s.FlightRefusedSerializer,
                description="Not allowed: no permission to post, or a source not "
                "granted to this token's account.",
            ),
            **error(429, "Throttled."),
        },
    ),
)
class FlightViewSet(
    StrictParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = FlightReport.objects.select_related("origin", "destination")
    serializer_class = s.FlightReportSerializer
    filterset_class = FlightFilterSet
    filter_backends = [DjangoFilterBackend, KeysetOrdering]
    ordering = ("departure_date", "id")
    ordering_tiebreak = ("id",)
    ordering_fields = {
        "departure_date": "departure_date",
        "price": NullsLast("price", -1, 10**10),
        "observed_at": "observed_at",
    }
    renderer_classes = base_renderers(CSVRenderer)
    permission_classes = [CanPostFlights]

    def create(self, request: Request) -> Response:
        payload = s.FlightBulkInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reports = payload.validated_data["reports"]
        refused = flight_sources_refused(
            account=request.user, sources={row["source"] for row in reports}
        )
        if refused:
            return Response(
                {
                    "detail": _(
                        "This token may not write reports of these sources: "
                        "%(sources)s. Nothing was written."
                    )
                    % {"sources": ", ".join(refused)},
                    "refused_sources": refused,
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            result = flight_reports_import_mixed(rows=reports, account=request.user)
        except FlightRowsInvalid as exc:
            # The shape DRF gives item errors: messages by the bad items' index.
            return Response(
                {"reports": {str(i): errors for i, errors in exc.rows.items()}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(s.FlightBulkResultSerializer(result).data)


@extend_schema(
    summary="Flight summary per route and day",
    description=(
        "Per origin → destination → departure day and currency: the cheapest price, "
        "whether seats were seen, how many reports, and when last observed. "
        "Departures from today on unless `departure_after` says otherwise."
    ),
    responses=read_responses(s.FlightSummarySerializer(many=True), csv=True),
)
class FlightSummaryView(StrictParamsMixin, generics.ListAPIView):
    serializer_class = s.FlightSummarySerializer
    filterset_class = FlightFilterSet
    filter_backends = [DjangoFilterBackend]
    # Group columns in index order (routes_flight_summary_idx): the database
    # walks the index and stops after one page of groups.
    ordering = ("departure_date", "origin_id", "destination_id", "currency")
    ordering_is_unique = True
    renderer_classes = base_renderers(CSVRenderer)
    queryset = FlightReport.objects.all()

    def get_queryset(self) -> QuerySet[FlightReport]:
        queryset = FlightReport.objects.all()
        if "departure_after" not in self.request.query_params:
            queryset = queryset.filter(departure_date__gte=timezone.localdate())
        return queryset

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        groups = (
            self.filter_queryset(self.get_queryset())
            .values(*self.ordering)
            .annotate(
                min_price=Min("price"),
                with_seats=Count("id", filter=SEATS_AVAILABLE),
                seats_seen=Max("seats"),
                reports=Count("id"),
                last_observed_at=Max("observed_at"),
            )
        )
        page = self.paginate_queryset(groups)
        airports = Airport.objects.in_bulk(
            {row[f] for row in page for f in ("origin_id", "destination_id")}
        )
        for row in page:
            origin, destination = (
                airports[row["origin_id"]],
                airports[row["destination_id"]],
            )
            row["origin__iata"] = origin.iata
            row["destination__iata"] = destination.iata
            row["destination__country"] = destination.country.code
            row["any_seats"] = row["with_seats"] > 0
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Airports", responses=read_responses(s.AirportSerializer(many=True))
    ),
    retrieve=extend_schema(
        summary="One airport",
        responses=read_responses(s.AirportSerializer, missing="No such airport."),
    ),
)
class AirportViewSet(StrictParamsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Airport.objects.all()
    serializer_class = s.AirportSerializer
    lookup_field = "iata"
    filterset_class = AirportFilterSet
    ordering = ("iata", "id")

"""API v1 views for crossings, history, routes, airports and flights.

Reads are short viewsets over selectors' querysets; each write is a view with an
input serializer that calls one service (routes.services).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from routes.api import serializers as s
from routes.api.base import (
    CSVRenderer,
    GeoJSONRenderer,
    KeysetOrdering,
    NullsLast,
    StrictParamsMixin,
    base_renderers,
)
from routes.api.pagination import paginated_response
from routes.filtersets import (
    AirportFilterSet,
    CrossingFilterSet,
    CrossingUpdateFilterSet,
    FlightFilterSet,
    RouteFilterSet,
)
from routes.models import (
    MAX_WAIT_MINUTES,
    Airport,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    FlightReport,
    SourceKind,
)
from routes.selectors import SEATS_AVAILABLE
from routes.services import (
    CrossingChangedError,
    FlightReportsInvalid,
    crossing_update_record,
    flight_report_upsert,
)

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _feature_collection_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 7946 FeatureCollection (one page of it)",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": FEATURE_SCHEMA},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
        },
    }


FEATURE_SCHEMA = {
    "type": "object",
    "description": "RFC 7946 Feature with the map snapshot's properties",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object"},
        "properties": {"type": "object"},
    },
}
CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR, description="CSV (UTF-8 with BOM); next page in `Link`."
)
DETAIL = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Messages by field (or parameter) name; for a list input, one object of "
        "messages per item."
    ),
    "additionalProperties": {"type": "array", "items": {}},
}


def error(code: int, description: str) -> dict[tuple[int, str], OpenApiResponse]:
    """A JSON error response (errors are JSON whatever format was asked for)."""
    schema = FIELD_ERRORS if code == 400 else DETAIL
    return {
        (code, "application/json"): OpenApiResponse(schema, description=description)
    }


ERRORS = {
    **error(400, "Bad parameter: messages by field."),
    **error(429, "Throttled: retry after the `Retry-After` seconds."),
}


def crossing_etag(crossing: BorderCrossing, now: datetime | None = None) -> str:
    """The crossing's strong ETag: its version, and whether it is stale yet
    (which changes with time alone and is part of what is shown)."""
    return f'"{crossing.pk}.{crossing.version}.{int(crossing.is_stale(now))}"'


def _etag_version(tag: str) -> tuple[int, int] | None:
    try:
        pk, version, _stale = tag.strip().removeprefix("W/").strip('"').split(".")
        return int(pk), int(version)
    except ValueError:
        return None


WAIT_ORDERING = {
    f"wait_{mode}": NullsLast(f"wait_{mode}", -1, MAX_WAIT_MINUTES + 1)
    for mode in ("car", "bus", "truck", "pedestrian")
}


@extend_schema_view(
    list=extend_schema(
        summary="Border crossings",
        description=(
            "Every crossing with its current status and waits. `?format=geojson` "
            "gives a FeatureCollection (the map's shape), `?format=csv` a table."
        ),
        responses={
            (200, "application/json"): s.CrossingSerializer(many=True),
            (200, "application/geo+json"): _feature_collection_schema(),
            (200, "text/csv"): CSV_RESPONSE,
            **ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="One crossing",
        description=(
            "Its `ETag` names the version: send it as `If-None-Match` to get 304 "
            "when nothing changed, or as `If-Match` when posting an update."
        ),
        responses={
            (200, "application/json"): s.CrossingSerializer,
            (200, "application/geo+json"): FEATURE_SCHEMA,
            (200, "text/csv"): CSV_RESPONSE,
            304: OpenApiResponse(description="Not modified since that ETag."),
            **error(404, "No such crossing."),
            **ERRORS,
        },
    ),
)
class CrossingViewSet(StrictParamsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = BorderCrossing.objects.all()
    lookup_field = "slug"
    filterset_class = CrossingFilterSet
    filter_backends = [DjangoFilterBackend, KeysetOrdering]
    ordering = ("country", "name_en", "id")
    ordering_tiebreak = ("country", "name_en", "id")
    ordering_fields = {
        **WAIT_ORDERING,
        "queue_length": NullsLast("queue_length", -1, 2**31 - 1),
        "name_en": "name_en",
        "country": "country",
        "last_observed_at": NullsLast(
            "last_observed_at", NEVER, datetime(9999, 1, 1, tzinfo=UTC)
        ),
    }
    renderer_classes = base_renderers(GeoJSONRenderer, CSVRenderer)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if getattr(self.request.accepted_renderer, "format", "") == "geojson":
            return s.FeatureSerializer
        return s.CrossingSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        crossing = self.get_object()
        etag = crossing_etag(crossing)
        if etag in _tags(request.headers.get("If-None-Match", "")):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(self.get_serializer(crossing).data)
        response["ETag"] = etag
        patch_vary_headers(response, ["Accept"])
        return response


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


@extend_schema(
    summary="A crossing's history",
    description=(
        "Its updates, newest observation first. With `at`, the state at that "
        "moment: `results` holds only the newest update observed at or before it "
        "(empty when nothing was known yet)."
    ),
    responses={
        (200, "application/json"): s.CrossingUpdateSerializer(many=True),
        (200, "text/csv"): CSV_RESPONSE,
        **error(404, "No such crossing."),
        **ERRORS,
    },
)
class CrossingHistoryView(StrictParamsMixin, generics.ListAPIView):
    serializer_class = s.CrossingUpdateSerializer
    filterset_class = CrossingUpdateFilterSet
    filter_backends = [DjangoFilterBackend]
    ordering = ("-observed_at", "-id")
    renderer_classes = base_renderers(CSVRenderer)

    def get_queryset(self) -> QuerySet[CrossingUpdate]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return CrossingUpdate.objects.none()
        crossing = get_object_or_404(
            BorderCrossing.objects.only("pk"), slug=self.kwargs["slug"]
        )
        return CrossingUpdate.objects.filter(crossing=crossing)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        if request.query_params.get("at"):
            # One row through the (crossing, -observed_at, -id) index.
            rows = list(queryset.order_by(*self.ordering)[:1])
            return paginated_response(
                request, self.get_serializer(rows, many=True).data, None, None
            )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CanRecordStatus(BasePermission):
    message = _("Recording a crossing's status needs the editor permission.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.user.has_perm("routes.update_status")


@extend_schema(
    summary="Record an update of a crossing",
    description=(
        "For partners and staff tools (token auth, editor permission). Goes "
        "through the same audited write path as the admin. Send the crossing's "
        "`ETag` as `If-Match`: if someone changed it since, the answer is 412 and "
        "nothing is written."
    ),
    parameters=[
        OpenApiParameter(
            "If-Match",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description="The crossing's ETag as last read.",
        )
    ],
    request=s.CrossingUpdateInputSerializer,
    responses={
        201: s.CrossingUpdateSerializer,
        **error(400, "Invalid input: messages by field."),
        **error(401, "No or bad token."),
        **error(403, "Not an editor."),
        **error(404, "No such crossing."),
        412: OpenApiResponse(
            inline_serializer(
                "CrossingChanged",
                {"detail": serializers.CharField(), "etag": serializers.CharField()},
            ),
            description="The crossing changed since that ETag.",
        ),
        **error(429, "Throttled."),
    },
)
class CrossingUpdateCreateView(APIView):
    permission_classes = [IsAuthenticated, CanRecordStatus]

    def post(self, request: Request, slug: str) -> Response:
        crossing = get_object_or_404(BorderCrossing, slug=slug)
        expected = None
        if_match = request.headers.get("If-Match", "").strip()
        if if_match and if_match != "*":
            versions = {_etag_version(t) for t in if_match.split(",")}
            if (crossing.pk, crossing.version) not in versions:
                return _changed(crossing, _("The crossing changed since that ETag."))
            expected = crossing.version
        payload = s.CrossingUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        default_kind = SourceKind.STAFF if request.user.is_staff else SourceKind.PARTNER
        try:
            update = crossing_update_record(
                crossing=crossing,
                source_kind=data.get("source_kind", default_kind),
                status=data.get("status"),
                waits=data.get("waits", {}),
                queue_length=data.get("queue_length"),
                note=data["note"],
                source_url=data["source_url"],
                observed_at=data.get("observed_at"),
                actor=request.user,
                expected_version=expected,
            )
        except CrossingChangedError as exc:
            return _changed(exc.crossing, str(exc))
        response = Response(
            s.CrossingUpdateSerializer(update).data, status=status.HTTP_201_CREATED
        )
        response["ETag"] = crossing_etag(crossing)
        return response


def _changed(crossing: BorderCrossing, message: str) -> Response:
    etag = crossing_etag(crossing)
    response = Response(
        {"detail": message, "etag": etag}, status=status.HTTP_412_PRECONDITION_FAILED
    )
    response["ETag"] = etag
    return response


@extend_schema_view(
    list=extend_schema(
        summary="Exit routes",
        description="Origin city → crossing → destination, with a line to draw.",
        responses={
            (200, "application/json"): s.ExitRouteSerializer(many=True),
            (200, "application/geo+json"): _feature_collection_schema(),
            **ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="One exit route",
        responses={
            (200, "application/json"): s.ExitRouteSerializer,
            (200, "application/geo+json"): FEATURE_SCHEMA,
            **error(404, "No such route."),
            **ERRORS,
        },
    ),
)
class RouteViewSet(StrictParamsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ExitRoute.objects.select_related("crossing")
    lookup_field = "slug"
    filterset_class = RouteFilterSet
    ordering = ("name_en", "id")
    renderer_classes = base_renderers(GeoJSONRenderer)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if getattr(self.request.accepted_renderer, "format", "") == "geojson":
            return s.FeatureSerializer
        return s.ExitRouteSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema_view(
    list=extend_schema(
        summary="Airports", responses={200: s.AirportSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(
        summary="One airport",
        responses={
            200: s.AirportSerializer,
            **error(404, "No such airport."),
            **ERRORS,
        },
    ),
)
class AirportViewSet(StrictParamsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Airport.objects.all()
    serializer_class = s.AirportSerializer
    lookup_field = "iata"
    filterset_class = AirportFilterSet
    ordering = ("iata", "id")


class CanPostFlights(BasePermission):
    message = _("Posting flight reports needs the permission to add and change them.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return request.user.has_perms(
            ["routes.add_flightreport", "routes.change_flightreport"]
        )


@extend_schema_view(
    list=extend_schema(
        summary="Flight reports",
        description="Observations of seats and prices, one row per source report.",
        responses={
            (200, "application/json"): s.FlightReportSerializer(many=True),
            (200, "text/csv"): CSV_RESPONSE,
            **ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="One flight report",
        responses={
            (200, "application/json"): s.FlightReportSerializer,
            (200, "text/csv"): CSV_RESPONSE,
            **error(404, "No such report."),
            **ERRORS,
        },
    ),
    create=extend_schema(
        summary="Post flight reports (bulk, idempotent)",
        description=(
            "Up to 500 reports; each is identified by (source, source_ref), so "
            "posting the same batch again changes nothing. All or nothing: one bad "
            "report rejects the batch with its errors at its index."
        ),
        request=s.FlightBulkInputSerializer,
        responses={
            200: s.FlightBulkResultSerializer,
            **error(400, "Invalid input: messages by field."),
            **error(401, "No or bad token."),
            **error(403, "Not allowed."),
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
        try:
            result = flight_report_upsert(reports=payload.validated_data["reports"])
        except FlightReportsInvalid as exc:
            count = len(payload.validated_data["reports"])
            return Response(
                {"reports": [exc.errors.get(i, {}) for i in range(count)]},
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
    responses={
        (200, "application/json"): s.FlightSummarySerializer(many=True),
        (200, "text/csv"): CSV_RESPONSE,
        **ERRORS,
    },
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

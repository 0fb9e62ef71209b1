"""API v1 views for crossings, their history and updates, routes and airports.

Flights are in routes/api/flights.py, the map snapshot in routes/api/map.py.

Reads are short viewsets over selectors' querysets; each write is a view with an
input serializer that calls one service (routes.services).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
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
from rest_framework import generics, serializers, status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exitwatch.lib.api.base import (
    CSVRenderer,
    GeoJSONRenderer,
    KeysetOrdering,
    NullsLast,
    StrictParamsMixin,
    base_renderers,
)
from exitwatch.lib.api.pagination import paginated_response
from exitwatch.lib.api.schema import (
    FEATURE_SCHEMA,
    error,
    feature_collection_schema,
    read_responses,
)
from exitwatch.lib.formatting import iso_z
from exitwatch.lib.http import etag_matches, strong_etags
from routes.api import serializers as s
from routes.api.moments import AT_PARAM, crossings_at_response, moment_param
from routes.filtersets import CrossingFilterSet, CrossingUpdateFilterSet, RouteFilterSet
from routes.models import (
    MAX_WAIT_MINUTES,
    BorderCrossing,
    CrossingUpdate,
    ExitRoute,
    SourceKind,
)
from routes.services import (
    CrossingChangedError,
    crossing_update_record,
)

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def crossing_etag(crossing: BorderCrossing, now: datetime | None = None) -> str:
    """The crossing's strong ETag: its version, and whether it is stale yet
    (which changes with time alone and is part of what is shown)."""
    return f'"{crossing.pk}.{crossing.version}.{int(crossing.is_stale(now))}"'


def _etag_version(tag: str) -> tuple[int, int] | None:
    try:
        pk, version, _stale = tag.strip('"').split(".")
        return int(pk), int(version)
    except ValueError:
        return None


class FeatureFormatMixin:
    """`?format=geojson` answers with Features built like the map snapshot's;
    other formats with the view's `serializer_class`. Staleness is judged at one
    moment for the whole response."""

    serializer_class: type[serializers.BaseSerializer]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        renderer = self.request.accepted_renderer  # type: ignore[attr-defined]
        if getattr(renderer, "format", "") == "geojson":
            return s.FeatureSerializer
        return self.serializer_class

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        # A list at a past moment is judged stale or not at that moment.
        return {**context, "now": getattr(self, "moment", None) or timezone.now()}


WAIT_ORDERING = {
    f"wait_{mode}": NullsLast(f"wait_{mode}", -1, MAX_WAIT_MINUTES + 1)
    for mode in ("car", "bus", "truck", "pedestrian")
}


@extend_schema_view(
    list=extend_schema(
        summary="Border crossings",
        description=(
            "Every crossing with its current status and waits. `?format=geojson` "
            "gives a FeatureCollection (the map's shape), `?format=csv` a table. "
            "With `at`, every crossing as it stood at that moment, read from the "
            "history: its sides' claims, status, waits and last report then; "
            "`status`, `stale`, `cargo_only` and the ordering apply to that state."
        ),
        parameters=[
            OpenApiParameter(
                AT_PARAM,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description=(
                    "A past moment, ISO 8601: a date (its end, UTC) or a date and "
                    "time (UTC unless it has an offset), e.g. 2022-09-25 or "
                    "2022-09-25T12:00:00Z. Cut to the minute; a future moment or a "
                    "bad one is a 400 naming `at`."
                ),
            )
        ],
        responses=read_responses(
            s.CrossingSerializer(many=True),
            geojson=feature_collection_schema(),
            csv=True,
        ),
    ),
    retrieve=extend_schema(
        summary="One crossing",
        description=(
            "Its `ETag` names the version: send it as `If-None-Match` to get 304 "
            "when nothing changed, or as `If-Match` when posting an update."
        ),
        responses={
            **read_responses(
                s.CrossingSerializer,
                geojson=FEATURE_SCHEMA,
                csv=True,
                missing="No such crossing.",
            ),
            304: OpenApiResponse(description="Not modified since that ETag."),
        },
    ),
)
class CrossingViewSet(
    StrictParamsMixin, FeatureFormatMixin, viewsets.ReadOnlyModelViewSet
):
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
    serializer_class = s.CrossingSerializer

    def known_query_params(self) -> set[str]:
        known = super().known_query_params()
        return known | {AT_PARAM} if self.action == "list" else known

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.moment = moment_param(request)
        if self.moment is None:
            return super().list(request, *args, **kwargs)
        return crossings_at_response(self, request, self.moment)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        crossing = self.get_object()
        etag = crossing_etag(crossing)
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(self.get_serializer(crossing).data)
        response["ETag"] = etag
        patch_vary_headers(response, ["Accept"])
        return response


@extend_schema(
    summary="A crossing's history",
    description=(
        "Its updates, newest observation first. With `at`, the state at that "
        "moment: `results` holds only the newest update observed at or before it "
        "(empty when nothing was known yet)."
    ),
    responses=read_responses(
        s.CrossingUpdateSerializer(many=True), csv=True, missing="No such crossing."
    ),
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
            description=(
                "The crossing's ETag as last read (compared strongly: a weak "
                "W/ tag never matches)."
            ),
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
                {
                    "detail": serializers.CharField(),
                    "etag": serializers.CharField(),
                    "last_recorded_at": serializers.DateTimeField(allow_null=True),
                },
            ),
            description=(
                "The crossing changed since that ETag (a weak ETag never "
                "matches): its current ETag and when its latest update was "
                "recorded."
            ),
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
        tags = strong_etags(if_match)
        if if_match and not tags:
            return _changed(
                crossing,
                _(
                    "If-Match needs the crossing's ETag as it was sent; a weak "
                    "(W/) ETag never matches. Send its current ETag."
                ),
            )
        if if_match and "*" not in tags:
            versions = {_etag_version(tag) for tag in tags}
            if (crossing.pk, crossing.version) not in versions:
                return _changed(crossing)
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
                side=data.get("side"),
                waits=data.get("waits", {}),
                queue_length=data.get("queue_length"),
                note=data["note"],
                source_url=data["source_url"],
                observed_at=data.get("observed_at"),
                actor=request.user,
                expected_version=expected,
            )
        except CrossingChangedError as exc:
            # Not str(exc): that names the account that made the change, which
            # the admin may show to staff but a partner must not learn.
            return _changed(exc.crossing)
        response = Response(
            s.CrossingUpdateSerializer(update).data, status=status.HTTP_201_CREATED
        )
        response["ETag"] = crossing_etag(crossing)
        return response


def _changed(crossing: BorderCrossing, message: str = "") -> Response:
    """412: the crossing changed since the version the client read (or the
    client's ETag cannot say which). It says when the latest update was
    recorded, never who made the change."""
    etag = crossing_etag(crossing)
    recorded = crossing.last_recorded_at
    message = message or _changed_message(recorded)
    response = Response(
        {
            "detail": message,
            "etag": etag,
            "last_recorded_at": iso_z(recorded),
        },
        status=status.HTTP_412_PRECONDITION_FAILED,
    )
    response["ETag"] = etag
    return response


def _changed_message(recorded: datetime | None) -> str:
    if recorded is None:
        return _(
            "The crossing changed since that ETag. Read it again and send its "
            "new ETag as If-Match."
        )
    return _(
        "The crossing changed since that ETag; its latest update was recorded "
        "at %(when)s. Read it again and send its new ETag as If-Match."
    ) % {"when": iso_z(recorded)}


@extend_schema_view(
    list=extend_schema(
        summary="Exit routes",
        description="Origin city → crossing → destination, with a line to draw.",
        responses=read_responses(
            s.ExitRouteSerializer(many=True), geojson=feature_collection_schema()
        ),
    ),
    retrieve=extend_schema(
        summary="One exit route",
        responses=read_responses(
            s.ExitRouteSerializer, geojson=FEATURE_SCHEMA, missing="No such route."
        ),
    ),
)
class RouteViewSet(
    StrictParamsMixin, FeatureFormatMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = ExitRoute.objects.select_related("crossing")
    lookup_field = "slug"
    filterset_class = RouteFilterSet
    ordering = ("name_en", "id")
    renderer_classes = base_renderers(GeoJSONRenderer)
    serializer_class = s.ExitRouteSerializer

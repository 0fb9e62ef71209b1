"""GET /api/v1/map/ (and its lean shape and crossing details) and GET
/api/v1/sources/: what the dashboard reads.

The map document is the snapshot bytes with conditional GET and public caching, from
a plain Django view, not DRF: it has no input to parse, nothing to negotiate and no
per-user answer, and every microsecond here is multiplied by crisis traffic. The
lean document the map page loads and each crossing's detail are other shapes of
the same build (routes.mapdoc.snapshot), served the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
)
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advisories.api.serializers import AdvisorySourceHealthSerializer
from advisories.selectors import advisory_sources_health
from exitwatch.lib.http import accepts_gzip, etag_matches
from exitwatch.lib.moments import parse_moment
from routes.checkpoints.api import OfficialListHealthSerializer
from routes.checkpoints.selectors import official_lists_health
from routes.flights.api.serializers import FlightProviderHealthSerializer
from routes.flights.selectors import flight_providers_health
from routes.mapdoc.snapshot import (
    FULL,
    StoredSnapshot,
    detail_shape,
    lean_shape,
    snapshot_at,
    snapshot_current,
)

CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=60"
# A moment more than a day back is settled: what is recorded later about it is
# a correction, which may take a day to reach a cache.
PAST_CACHE_CONTROL = "public, max-age=86400"
RECENT_CACHE_CONTROL = "public, max-age=60"
SETTLED_AFTER = timedelta(days=1)


def _serve(request: HttpRequest, shape: str) -> HttpResponse:
    """One shape of the snapshot, now or at ?at=, with conditional GET."""
    at = None
    if "at" in request.GET:
        try:
            at = parse_moment(request.GET["at"])
        except ValidationError as exc:
            return JsonResponse({"at": exc.messages}, status=400)
    snapshots = snapshot_at(at) if at else snapshot_current()
    snapshot = snapshots.shapes.get(shape)
    if snapshot is None:
        raise Http404
    return _respond(request, snapshot, at)


def _respond(
    request: HttpRequest, snapshot: StoredSnapshot, at: datetime | None
) -> HttpResponse:
    gzipped = accepts_gzip(request.headers.get("Accept-Encoding", ""))
    etag = snapshot.etag_gzip if gzipped else snapshot.etag
    if etag_matches(request.headers.get("If-None-Match", ""), snapshot.etag, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        body = snapshot.gzip_body if gzipped else snapshot.identity_body
        response = HttpResponse(body, content_type="application/json")
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    if at is None:
        response["Cache-Control"] = CACHE_CONTROL
    elif timezone.now() - at > SETTLED_AFTER:
        response["Cache-Control"] = PAST_CACHE_CONTROL
    else:
        response["Cache-Control"] = RECENT_CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    response["X-Snapshot-Version"] = snapshot.version
    return response


@require_safe
def map_snapshot(request: HttpRequest) -> HttpResponse:
    return _serve(request, FULL)


@require_safe
def map_lean(request: HttpRequest, lang: str) -> HttpResponse:
    """The lean document in one language: its URL names the language, so a
    shared cache never hands Russian names to an English page."""
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    # Answered ahead of the locale middleware: a bad ?at= is explained in the
    # language the URL names.
    with translation.override(lang):
        return _serve(request, lean_shape(lang))


@require_safe
def map_crossing(request: HttpRequest, slug: str) -> HttpResponse:
    """One crossing's feature as in the full document of the same version (or
    moment, with ?at=): what a popup adds to the lean document."""
    return _serve(request, detail_shape(slug))


class SourceHealthList(APIView):
    """Every advisory feed, flight price provider and official checkpoint list
    with its last success, last error and item counts; `overdue` flags one with
    no success for 12 hours."""

    permission_classes = [AllowAny]

    @extend_schema(responses=AdvisorySourceHealthSerializer(many=True))
    def get(self, request: Request) -> Response:
        context = {"request": request, "now": timezone.now()}
        data = [
            *AdvisorySourceHealthSerializer(
                advisory_sources_health(), many=True, context=context
            ).data,
            *FlightProviderHealthSerializer(
                flight_providers_health(), many=True, context=context
            ).data,
            *OfficialListHealthSerializer(
                official_lists_health(), many=True, context=context
            ).data,
        ]
        response = Response(data)
        patch_cache_control(response, public=True, max_age=60)
        return response

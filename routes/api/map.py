"""GET /api/v1/map/: the snapshot bytes with conditional GET and public caching.

A plain Django view, not DRF: it has no input to parse, nothing to negotiate and no
per-user answer, and every microsecond here is multiplied by crisis traffic.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from routes.map_snapshot import snapshot_current

CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=60"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header admits gzip (a q=0 refuses it)."""
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and _q_is_zero(q[2:]))
    return False


def _q_is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


def etag_matches(if_none_match: str, *etags: str) -> bool:
    """Whether an If-None-Match header names one of `etags` (weak or strong), or *."""
    if if_none_match.strip() == "*":
        return True
    offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return any(etag in offered for etag in etags)


@require_safe
def map_snapshot(request: HttpRequest) -> HttpResponse:
    snapshot = snapshot_current()
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
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Encoding"
    response["X-Snapshot-Version"] = snapshot.version
    return response

"""OpenAPI pieces every API shares: response schemas, and what drf-spectacular
cannot see by itself (per-format page shapes)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse


def feature_collection_schema() -> dict[str, Any]:
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
        "Messages by field (or parameter) name; a nested input has an object "
        "of its own messages, a list input one per bad item's index. A body that "
        "is not JSON at all gets one message under `detail`."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
        ]
    },
}


def error(code: int, description: str) -> dict[tuple[int, str], OpenApiResponse]:
    """A JSON error response (errors are JSON whatever format was asked for)."""
    schema = FIELD_ERRORS if code == 400 else DETAIL
    return {
        (code, "application/json"): OpenApiResponse(schema, description=description)
    }


THROTTLED = "Throttled: retry after the `Retry-After` seconds."
ERRORS = {
    **error(400, "Bad parameter: messages by field."),
    **error(429, THROTTLED),
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, and a 429 on every operation a throttle
    guards, whether or not its view remembered to say so: a client must be
    told it can be throttled everywhere it can be."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if "429" not in responses and self.view.get_throttles():
            responses["429"] = self._get_response_for_code(
                OpenApiResponse(DETAIL, description=THROTTLED),
                "429",
                ("application/json",),
                direction,
            )
        return responses


def read_responses(
    json: Any,
    *,
    geojson: dict[str, Any] | None = None,
    csv: bool = False,
    missing: str = "",
) -> dict[Any, Any]:
    """A read endpoint's responses: its JSON, the other formats it renders (a
    GeoJSON schema, CSV), a 404 saying what is `missing` for a detail, and the
    errors every endpoint can answer with."""
    responses: dict[Any, Any] = {(200, "application/json"): json}
    if geojson is not None:
        responses[(200, "application/geo+json")] = geojson
    if csv:
        responses[(200, "text/csv")] = CSV_RESPONSE
    if missing:
        responses.update(error(404, missing))
    return {**responses, **ERRORS}


def unwrap_paged_formats(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: only JSON pages have the
    {next, previous, results} envelope; CSV is a table (links in `Link`) and
    GeoJSON a FeatureCollection, whatever the paginator's schema says."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            content = (
                operation.get("responses", {}).get("200", {}).get("content", {})
                if isinstance(operation, dict)
                else {}
            )
            csv = content.get("text/csv")
            if csv and "results" in csv["schema"].get("properties", {}):
                csv["schema"] = {"type": "string"}
            geojson = content.get("application/geo+json")
            if geojson and "results" in geojson["schema"].get("properties", {}):
                geojson["schema"] = geojson["schema"]["properties"]["results"]["items"]
    return result

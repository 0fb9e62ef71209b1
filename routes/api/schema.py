"""OpenAPI pieces: shared response schemas, and what drf-spectacular cannot see
(the map snapshot, which is not a DRF view; per-format page shapes)."""

from __future__ import annotations

from typing import Any

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
        "of its own messages, a list input one per bad item's index."
    ),
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


ERRORS = {
    **error(400, "Bad parameter: messages by field."),
    **error(429, "Throttled: retry after the `Retry-After` seconds."),
}


NULLABLE_STR = {"type": "string", "nullable": True}
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/MapFeature"},
        },
    },
}
MAP_FEATURE = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point", "LineString"]},
                "coordinates": {"type": "array", "items": {}},
            },
        },
        "properties": {"type": "object"},
    },
}
MAP_SNAPSHOT = {
    "type": "object",
    "description": "Everything the map draws; shape described in docs/map-snapshot.md.",
    "required": [
        "version",
        "generated_at",
        "crossings",
        "routes",
        "advisories",
        "flights",
    ],
    "properties": {
        "version": {"type": "string"},
        "generated_at": {"type": "string", "format": "date-time"},
        "crossings": {"$ref": "#/components/schemas/MapFeatureCollection"},
        "routes": {"$ref": "#/components/schemas/MapFeatureCollection"},
        "advisories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "source",
                    "issuer",
                    "target_country",
                    "level",
                    "title",
                    "url",
                ],
                "properties": {
                    "source": {"type": "string"},
                    "issuer": {"type": "string"},
                    "source_name_en": {"type": "string"},
                    "source_name_ru": {"type": "string"},
                    "target_country": {"type": "string"},
                    "level": {"type": "integer", "minimum": 1, "maximum": 4},
                    "level_text": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "published_at": NULLABLE_STR,
                    "changed_at": NULLABLE_STR,
                },
            },
        },
        "flights": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "origin",
                    "destination",
                    "min_price",
                    "currency",
                    "any_seats",
                    "sold_out",
                    "reports",
                ],
                "properties": {
                    "origin": {"type": "string"},
                    "destination": {"type": "string"},
                    "destination_country": {"type": "string"},
                    "min_price": NULLABLE_STR,
                    "currency": {"type": "string"},
                    "any_seats": {"type": "boolean"},
                    "sold_out": {"type": "boolean"},
                    "reports": {"type": "integer"},
                    "last_observed_at": NULLABLE_STR,
                    "next_departure_date": NULLABLE_STR,
                    "next_departure_with_seats": NULLABLE_STR,
                },
            },
        },
    },
}


def add_map_snapshot(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document GET /api/v1/map/."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["MapSnapshot"] = MAP_SNAPSHOT
    schemas["MapFeatureCollection"] = FEATURE_COLLECTION
    schemas["MapFeature"] = MAP_FEATURE
    result.setdefault("paths", {})["/api/v1/map/"] = {
        "get": {
            "operationId": "map_snapshot",
            "summary": "The map snapshot",
            "description": (
                "One cached document with everything the map draws. Strong ETag "
                "(send it back as If-None-Match for a 304), gzip when accepted, "
                "public for 15 s. No authentication, no throttling, no parameters."
            ),
            "tags": ["map"],
            "security": [{}],
            "parameters": [
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The document",
                    "headers": {
                        "ETag": {"schema": {"type": "string"}},
                        "Cache-Control": {"schema": {"type": "string"}},
                    },
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/MapSnapshot"}
                        }
                    },
                },
                "304": {"description": "Not modified since that ETag."},
            },
        }
    }
    return result


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

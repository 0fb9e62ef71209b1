"""OpenAPI for GET /api/v1/map/, which bypasses DRF (served from the cache by
routes.mapdoc.middleware) and so is added by a drf-spectacular hook."""

from __future__ import annotations

from typing import Any

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
        "at": {
            **NULLABLE_STR,
            "description": "The moment asked for with ?at=, or null for now.",
        },
        "data_as_of": {
            **NULLABLE_STR,
            "description": "When the newest figure in the document was observed.",
        },
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
                "public for 15 s. No authentication, no throttling. With `at`, "
                "the map as it stood at that moment (same shape; each status the "
                "stricter of both sides then), public for a day once settled."
            ),
            "tags": ["map"],
            "security": [{}],
            "parameters": [
                {
                    "name": "at",
                    "in": "query",
                    "required": False,
                    "description": (
                        "A past moment, ISO 8601 (a date means the end of that day, "
                        "UTC); truncated to the minute."
                    ),
                    "schema": {"type": "string", "format": "date-time"},
                },
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                },
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
                "400": {
                    "description": "`at` is not a past ISO 8601 moment.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["at"],
                                "properties": {
                                    "at": {"type": "array", "items": {"type": "string"}}
                                },
                            }
                        }
                    },
                },
            },
        }
    }
    return result

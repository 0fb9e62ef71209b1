"""OpenAPI for GET /api/v1/map/, its lean shape and its crossing details, which
bypass DRF (served from the cache by routes.mapdoc.middleware) and so are added
by a drf-spectacular hook."""

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

NULLABLE_MOMENT = {**NULLABLE_STR, "format": "date-time"}
LEAN_SIDE = {
    "type": "object",
    "required": ["status", "observed_at"],
    "properties": {
        "status": {"type": "string"},
        "observed_at": NULLABLE_MOMENT,
    },
}
MAP_LEAN = {
    "type": "object",
    "description": (
        "What the map page draws, in one language, small enough for networks "
        "that cut connections after ~16 KB: shape in docs/map-snapshot.md. Each "
        "crossing is a row whose values follow `crossings.fields`."
    ),
    "required": [
        "shape",
        "lang",
        "version",
        "generated_at",
        "at",
        "data_as_of",
        "countries",
        "crossings",
        "routes",
        "advisories",
        "flights",
        "flights_count",
    ],
    "properties": {
        "shape": {"type": "string", "enum": ["lean"]},
        "lang": {"type": "string", "enum": ["en", "ru"]},
        "version": {"type": "string"},
        "generated_at": {"type": "string", "format": "date-time"},
        "at": NULLABLE_MOMENT,
        "data_as_of": NULLABLE_MOMENT,
        "countries": {
            "type": "object",
            "description": (
                "ISO 3166 code: [name in `lang`, name in the other language]."
            ),
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "crossings": {
            "type": "object",
            "required": ["fields", "rows"],
            "properties": {
                "fields": {"type": "array", "items": {"type": "string"}},
                "rows": {
                    "type": "array",
                    "items": {"type": "array", "items": {}},
                    "description": (
                        "One array per crossing, its values in the order of "
                        "`fields`: slug, lat, lon (5 decimals), name, "
                        "neighbour_name, other_names (both names in the other "
                        "language, for search), region, country, kind, modes, "
                        "status, sides ({ru, neighbour}: {status, observed_at}), "
                        "waits (minutes by mode, reported modes only), "
                        "queue_length, last_observed_at, status_observed_at, "
                        "stale_after_minutes, last_source_kind, cargo_only, "
                        "bilateral, de_facto."
                    ),
                },
            },
        },
        "routes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name", "crossing", "distance_km", "path"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "crossing": {"type": "string"},
                    "distance_km": {"type": "integer", "nullable": True},
                    "path": {
                        "type": "array",
                        "description": "[lon, lat] pairs, 4 decimals.",
                        "items": {
                            "type": "array",
                            "items": {"type": "number"},
                            "minItems": 2,
                            "maxItems": 2,
                        },
                    },
                },
            },
        },
        "advisories": MAP_SNAPSHOT["properties"]["advisories"],
        "flights": {
            **MAP_SNAPSHOT["properties"]["flights"],
            "description": (
                "The first 12 flights of the full document's list as the map "
                "shows them: with seats first, sold out last, then by origin "
                "and destination in `lang`."
            ),
        },
        "flights_count": {
            "type": "integer",
            "description": "How many the full document lists.",
        },
    },
}
AT_PARAMETER = {
    "name": "at",
    "in": "query",
    "required": False,
    "description": (
        "A past moment, ISO 8601 (a date means the end of that day, UTC); "
        "truncated to the minute."
    ),
    "schema": {"type": "string", "format": "date-time"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
}
BAD_AT = {
    "description": "`at` is not a past ISO 8601 moment.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["at"],
                "properties": {"at": {"type": "array", "items": {"type": "string"}}},
            }
        }
    },
}
NOT_FOUND = {
    "description": "No such language or crossing.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["detail"],
                "properties": {"detail": {"type": "string"}},
            }
        }
    },
}


def _document_operation(
    *,
    operation_id: str,
    summary: str,
    description: str,
    schema: str,
    path_parameters: list[dict[str, Any]],
) -> dict[str, Any]:
    """One GET of a shape of the snapshot: cached bytes, ETag, gzip, ?at=."""
    responses: dict[str, Any] = {
        "200": {
            "description": "The document",
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Cache-Control": {"schema": {"type": "string"}},
            },
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema}"}
                }
            },
        },
        "304": {"description": "Not modified since that ETag."},
        "400": BAD_AT,
    }
    if path_parameters:
        responses["404"] = NOT_FOUND
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "tags": ["map"],
            "security": [{}],
            "parameters": [*path_parameters, AT_PARAMETER, IF_NONE_MATCH],
            "responses": responses,
        }
    }


def add_map_snapshot(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document GET /api/v1/map/."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["MapSnapshot"] = MAP_SNAPSHOT
    schemas["MapLean"] = MAP_LEAN
    schemas["MapFeatureCollection"] = FEATURE_COLLECTION
    schemas["MapFeature"] = MAP_FEATURE
    paths = result.setdefault("paths", {})
    paths["/api/v1/map/"] = _document_operation(
        operation_id="map_snapshot",
        summary="The map snapshot",
        description=(
            "One cached document with everything the map draws. Strong ETag "
            "(send it back as If-None-Match for a 304), gzip when accepted, "
            "public for 15 s. No authentication, no throttling. With `at`, "
            "the map as it stood at that moment (same shape; each status the "
            "stricter of both sides then), public for a day once settled."
        ),
        schema="MapSnapshot",
        path_parameters=[],
    )
    paths["/api/v1/map/lean/{lang}/"] = _document_operation(
        operation_id="map_lean",
        summary="The lean map document, in one language",
        description=(
            "What the map page loads: the same build as /api/v1/map/ (same "
            "version, same `at`), cut to what markers, the list, its filters "
            "and the legend need, with names in `lang`. Under 16 KB gzipped "
            "with every crossing. No stale flag: judge freshness from "
            "`last_observed_at` and `stale_after_minutes` against your clock. "
            "Headers and caching as for /api/v1/map/."
        ),
        schema="MapLean",
        path_parameters=[
            {
                "name": "lang",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "enum": ["en", "ru"]},
            }
        ],
    )
    paths["/api/v1/map/crossings/{slug}/"] = _document_operation(
        operation_id="map_crossing",
        summary="One crossing of the map document",
        description=(
            "The crossing's feature exactly as in /api/v1/map/ of the same "
            "version (or `at`): what the map's popup adds to the lean document "
            "(restrictions, notes, each side's source, hours, what a wait "
            "rests on). Headers and caching as for /api/v1/map/."
        ),
        schema="MapFeature",
        path_parameters=[
            {
                "name": "slug",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
            }
        ],
    )
    return result

"""What every API v1 view shares: formats, strict parameters, ordering, errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from exitwatch.lib.api.pagination import CursorPage
from exitwatch.lib.observed import (
    NAIVE_TIME_MESSAGE,
    OFFSET_MESSAGE,
    UNREADABLE_TIME_MESSAGE,
    offset_in_range,
)

__all__ = ["CursorPage"]

# Spreadsheets run a cell starting with these as a formula (CSV injection); notes
# and names come from the public, so such cells are prefixed with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson`: RFC 7946 FeatureCollections."""

    media_type = "application/geo+json"
    format = "geojson"


class CSVRenderer(BaseRenderer):
    """`?format=csv`: one row per result, nested fields flattened (`waits_car`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, Mapping):  # a detail: a table of one row
            data = [data]
        rows = [flatten(row) for row in (data or [])]
        header = list(rows[0]) if rows else self._header(renderer_context)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(name)) for name in header])
        # A BOM so spreadsheet programs read the Cyrillic as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def _header(self, context: Mapping[str, Any] | None) -> list[str]:
        view = (context or {}).get("view")
        if view is None or not hasattr(view, "get_serializer"):
            return []
        return list(flatten(_blank(view.get_serializer().fields)))


def _blank(fields: Mapping[str, serializers.Field]) -> dict[str, Any]:
    return {
        name: _blank(field.fields) if isinstance(field, serializers.Serializer) else ""
        for name, field in fields.items()
    }


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = ";".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class StrictContentNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the formats, not DRF's bare 404; a
    known one wins over the Accept header. A client that sends
    `Accept: application/json` on every call and asks `?format=csv` for one
    wants the CSV, not DRF's 406."""

    def select_renderer(
        self,
        request: Request,
        renderers: list[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        format = format_suffix or request.query_params.get(
            api_settings.URL_FORMAT_OVERRIDE
        )
        if not format:
            return super().select_renderer(request, renderers, format_suffix)
        renderer = self.filter_renderers(renderers, format)[0]
        return renderer, renderer.media_type

    def filter_renderers(self, renderers: list[BaseRenderer], format: str) -> list:
        chosen = [r for r in renderers if r.format == format]
        if not chosen:
            raise ValidationError(
                {
                    api_settings.URL_FORMAT_OVERRIDE: [
                        _("Unknown format %(format)r; use one of: %(formats)s.")
                        % {
                            "format": format,
                            "formats": ", ".join(r.format for r in renderers),
                        }
                    ]
                }
            )
        return chosen


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError (from services) as a 400."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


@dataclass(frozen=True)
class NullsLast:
    """Order by a nullable field with the unknowns last either way.

    Keyset pagination compares values, and NULL compares with nothing, so the
    ordering key is the field with NULL replaced by a bound past every value.
    """

    field: str
    low: Any
    high: Any


class KeysetOrdering:
    """`?ordering=field` or `-field` from the view's `ordering_fields`; a bad value
    is a 400. The chosen ordering is left on the request for CursorPage."""

    param = "ordering"

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> Any:
        raw = request.query_params.get(self.param)
        if raw is None:
            return queryset
        fields: Mapping[str, str | NullsLast] = view.ordering_fields
        descending = raw.startswith("-")
        target = fields.get(raw.removeprefix("-"))
        if target is None:
            raise ValidationError(
                {
                    self.param: [
                        _(
                            "Cannot order by %(value)r; use one of: %(fields)s "
                            "(prefix - for descending)."
                        )
                        % {"value": raw, "fields": ", ".join(fields)}
                    ]
                }
            )
        sign = "-" if descending else ""
        if isinstance(target, NullsLast):
            key = f"sort_{raw.removeprefix('-')}"
            bound = target.low if descending else target.high
            field = queryset.model._meta.get_field(target.field)
            queryset = queryset.annotate(
                **{key: Coalesce(target.field, Value(bound), output_field=field)}
            )
            target = key
        request.keyset_ordering = (f"{sign}{target}", *view.ordering_tiebreak)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        names = list(view.ordering_fields)
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": _(
                    "Order by one field; prefix - for descending. "
                    "Unknown values go last."
                ),
                "schema": {
                    "type": "string",
                    "enum": [*names, *(f"-{n}" for n in names)],
                },
            }
        ]


class StrictParamsMixin:
    """Every query parameter must be one the endpoint knows: a typo such as
    `?countyr=GE` is a 400 naming the known ones, not a silently unfiltered list."""

    extra_query_params: Iterable[str] = ()

    def known_query_params(self) -> set[str]:
        known = {api_settings.URL_FORMAT_OVERRIDE, *self.extra_query_params}
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None:
            known |= set(filterset.base_filters)
        if getattr(self, "ordering_fields", None):
            known.add(KeysetOrdering.param)
        if getattr(self, "pagination_class", None) is not None:
            known |= {CursorPage.cursor_query_param, CursorPage.page_size_query_param}
        return known

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD"):
            return
        unknown = sorted(set(request.query_params) - self.known_query_params())
        if unknown:
            known = ", ".join(sorted(self.known_query_params()))
            raise ValidationError(
                {
                    name: [
                        _("Unknown parameter; this endpoint takes: %(known)s.")
                        % {"known": known}
                    ]
                    for name in unknown
                }
            )

    def handle_exception(self, exc: Exception) -> Response:
        # Errors are JSON whatever format the client asked for.
        request = getattr(self, "request", None)
        if request is not None and getattr(
            request, "accepted_renderer", None
        ).__class__ in (CSVRenderer, GeoJSONRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)  # type: ignore[misc]


class UTCDateTimeField(serializers.DateTimeField):
    """Times out of the API are UTC (`…Z`), whatever the site's time zone; times
    into it must carry their offset, or one string means different moments.

    Unlike exitwatch.lib.formatting.iso_z (pages, the map document), a time out
    of a serializer keeps its fraction of a second: clients send these values
    back as `at=` or `observed_after=`, and a time cut to the second would fall
    before the very row it was read from."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "invalid": UNREADABLE_TIME_MESSAGE,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                raise ValidationError(str(NAIVE_TIME_MESSAGE))
            if parsed is not None and not offset_in_range(parsed):
                raise ValidationError(str(OFFSET_MESSAGE))
        return super().to_internal_value(value)


def base_renderers(*extra: type[BaseRenderer]) -> list[type[BaseRenderer]]:
    return [*api_settings.DEFAULT_RENDERER_CLASSES, *extra]

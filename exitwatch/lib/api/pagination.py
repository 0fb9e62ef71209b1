"""Keyset ("cursor") pagination over any ordering, with a bounded page size.

DRF's CursorPagination positions on the first ordering field only and falls back
to offsets for ties, which breaks past 1,000 equal values (thousands of flights
share a departure date). Here the cursor carries every ordering value of the row
it stops at, the ordering always ends with the primary key, and the next page is
"rows after that tuple": a constant-cost index seek however deep a client reads.
Cursors are signed, so a tampered one is a 400, never a database error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

CURSOR_SALT = "exitwatch.api.cursor"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()  # full precision: microseconds matter for ties
    if isinstance(value, Decimal) or not isinstance(value, str | int | float | None):
        return str(value)  # Decimal exactly; a Country as its code
    return value


def ordering_key(row: Any, field: str) -> Any:
    name = field.lstrip("-")
    return row[name] if isinstance(row, dict) else getattr(row, name)


def after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y)…

    The leading bound `a >= x` is redundant logically but lets the database seek
    its index instead of scanning from the start.
    """
    condition = Q()
    for depth in range(len(ordering) - 1, -1, -1):
        field = ordering[depth]
        name = field.lstrip("-")
        strictly = Q(
            **{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[depth]}
        )
        condition = (
            strictly
            if depth == len(ordering) - 1
            else strictly | (Q(**{name: values[depth]}) & condition)
        )
    first = ordering[0]
    bound = Q(
        **{
            f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[
                0
            ]
        }
    )
    return bound & condition


def reverse_ordering(ordering: Sequence[str]) -> tuple[str, ...]:
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)


class CursorPage(BasePagination):
    """`?cursor=` and `?page_size=` (default 50, at most 500); links in the body
    and, for CSV and GeoJSON, in an RFC 8288 `Link` header as well."""

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    invalid_cursor = gettext_lazy(
        "Invalid cursor: use the `next` or `previous` link of a response as given."
    )

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_ordering(self, request: Request, view: Any) -> tuple[str, ...]:
        ordering = getattr(request, "keyset_ordering", None) or view.ordering
        ordering = tuple(ordering)
        unique = getattr(view, "ordering_is_unique", False)
        if not unique and ordering[-1].lstrip("-") not in ("id", "pk"):
            ordering = (*ordering, "-id" if ordering[-1].startswith("-") else "id")
        return ordering

    def decode_cursor(self, request: Request, ordering: Sequence[str]) -> Any:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            cursor = signing.loads(raw, salt=CURSOR_SALT)
            values, reverse, signature = cursor["v"], bool(cursor["r"]), cursor["o"]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor]}
            ) from None
        if signature != ",".join(ordering) or len(values) != len(ordering):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "This cursor belongs to another ordering: start again "
                            "without a cursor."
                        )
                    ]
                }
            )
        return values, reverse

    def encode_cursor(self, row: Any, *, reverse: bool) -> str:
        values = [_plain(ordering_key(row, f)) for f in self.ordering]
        return signing.dumps(
            {"v": values, "r": int(reverse), "o": ",".join(self.ordering)},
            salt=CURSOR_SALT,
            serializer=_JSONSerializer,
        )

    def start_page(
        self, request: Request, view: Any
    ) -> tuple[Any, bool, tuple[str, ...]]:
        """Read the page size, ordering and cursor of a request: (the cursor or
        None, whether it walks backwards, the order to read rows in)."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.ordering = self.get_ordering(request, view)
        cursor = self.decode_cursor(request, self.ordering)
        reverse = bool(cursor and cursor[1])
        order = reverse_ordering(self.ordering) if reverse else self.ordering
        return cursor, reverse, tuple(order)

    def finish_page(self, rows: list[Any], *, cursor: Any, reverse: bool) -> list[Any]:
        """The page from the rows after the cursor (one more than a page, or
        all of them), with whether there are pages either side."""
        more = len(rows) > self.page_size
        page = rows[: self.page_size]
        if reverse:
            page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = page
        return page

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any]:
        cursor, reverse, order = self.start_page(request, view)
        queryset = queryset.order_by(*order)
        if cursor is not None:
            try:
                queryset = queryset.filter(after(order, cursor[0]))
            except (DjangoValidationError, ValueError, TypeError):
                raise ValidationError(
                    {self.cursor_query_param: [self.invalid_cursor]}
                ) from None
        rows = list(queryset[: self.page_size + 1])
        return self.finish_page(rows, cursor=cursor, reverse=reverse)

    def _link(self, row: Any, *, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(
            url, self.cursor_query_param, self.encode_cursor(row, reverse=reverse)
        )

    def get_next_link(self) -> str | None:
        if not (self.has_next and self.page):
            return None
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not (self.has_previous and self.page):
            return None
        return self._link(self.page[0], reverse=True)

    def get_paginated_response(self, data: Any) -> Response:
        return paginated_response(
            self.request, data, self.get_next_link(), self.get_previous_link()
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("Opaque position from a `next` or `previous` link."),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Rows per page (default %(default)d, at most %(max)d)."
                )
                % {"default": self.page_size, "max": self.max_page_size},
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                },
            },
        ]


class _JSONSerializer:
    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("latin-1"))


def paginated_response(
    request: Request, results: Any, next_link: str | None, previous_link: str | None
) -> Response:
    """The page in the shape of the negotiated format."""
    fmt = getattr(request.accepted_renderer, "format", "json")
    links = ", ".join(
        f'<{url}>; rel="{rel}"'
        for url, rel in ((next_link, "next"), (previous_link, "prev"))
        if url
    )
    if fmt == "csv":
        response = Response(results)
    elif fmt == "geojson":
        response = Response(
            {
                "type": "FeatureCollection",
                "features": results,
                "next": next_link,
                "previous": previous_link,
            }
        )
    else:
        response = Response(
            {"next": next_link, "previous": previous_link, "results": results}
        )
    if links:
        response["Link"] = links
    return response

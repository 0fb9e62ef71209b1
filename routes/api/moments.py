"""The crossings list as it stood at a past moment (`GET /api/v1/crossings/?at=`).

The state then is read from the history (routes.selectors.crossings_at) into the
crossings in memory. Filters on reference data (country, kind, mode) still run in
the database; filters on state (status, stale, cargo only) and the ordering by
waits, queue or last report run over the state then, so they run here, in Python,
over at most a few hundred crossings. The pages are the same keyset pages as the
live list's, their cursors compared in memory instead of in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cmp_to_key
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from django_countries.fields import Country
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from exitwatch.lib.api.base import KeysetOrdering, NullsLast
from exitwatch.lib.api.pagination import CursorPage, ordering_key
from exitwatch.lib.moments import parse_moment
from routes.models import BorderCrossing
from routes.selectors import crossings_at

AT_PARAM = "at"


def moment_param(request: Request) -> datetime | None:
    """The list's `at` as a UTC minute; None without one. A bad or future moment
    is a 400 naming `at`."""
    raw = request.query_params.get(AT_PARAM)
    if raw is None:
        return None
    try:
        return parse_moment(raw)
    except DjangoValidationError as exc:
        raise ValidationError({AT_PARAM: exc.messages}) from None


def crossings_at_response(view: Any, request: Request, at: datetime) -> Response:
    """One page of `view`'s crossings as they stood at `at`, filtered and ordered
    by their state then, in the format the request negotiated."""
    filterset = view.filterset_class(
        request.query_params, queryset=view.get_queryset(), request=request
    )
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    queryset = KeysetOrdering().filter_queryset(
        request, filterset.filter_reference(view.get_queryset()), view
    )
    crossings = filterset.state_matches(crossings_at(at, queryset), at)
    _sort_keys_at(crossings, getattr(request, "keyset_ordering", ()), view)
    paginator = MomentPage()
    page = paginator.paginate_list(crossings, request, view)
    data = view.get_serializer(page, many=True).data
    return paginator.get_paginated_response(data)


def _sort_keys_at(
    crossings: list[BorderCrossing], ordering: Sequence[str], view: Any
) -> None:
    """Recompute the ordering's sort key (KeysetOrdering's `sort_<field>`, the
    field with a bound for unknowns) from the state at the moment, not today's."""
    if not ordering or not ordering[0].lstrip("-").startswith("sort_"):
        return
    key = ordering[0].lstrip("-")
    target = view.ordering_fields[key.removeprefix("sort_")]
    if not isinstance(target, NullsLast):
        return
    bound = target.low if ordering[0].startswith("-") else target.high
    for crossing in crossings:
        value = getattr(crossing, target.field)
        setattr(crossing, key, bound if value is None else value)


def _comparable(value: Any) -> Any:
    return value.code if isinstance(value, Country) else value


def _compare(a: Sequence[Any], b: Sequence[Any], ordering: Sequence[str]) -> int:
    for x, y, field in zip(a, b, ordering, strict=True):
        if x != y:
            smaller = -1 if x < y else 1
            return -smaller if field.startswith("-") else smaller
    return 0


class MomentPage(CursorPage):
    """CursorPage over a list in memory: the same cursors, links and page sizes."""

    def paginate_list(
        self, rows: list[Any], request: Request, view: Any = None
    ) -> list[Any]:
        cursor, reverse, order = self.start_page(request, view)

        def key(row: Any) -> list[Any]:
            return [_comparable(ordering_key(row, field)) for field in order]

        ordered = sorted(
            rows, key=cmp_to_key(lambda a, b: _compare(key(a), key(b), order))
        )
        if cursor is not None and ordered:
            ordered = self._after(ordered, order, cursor[0], key)
        return self.finish_page(ordered, cursor=cursor, reverse=reverse)

    def _after(
        self,
        rows: list[Any],
        order: Sequence[str],
        values: Sequence[Any],
        key: Any,
    ) -> list[Any]:
        """The rows strictly after the cursor's values, in `order`."""
        sample = key(rows[0])
        bound = [
            parse_datetime(value)
            if isinstance(like, datetime) and isinstance(value, str)
            else value
            for like, value in zip(sample, values, strict=True)
        ]
        try:
            return [row for row in rows if _compare(key(row), bound, order) > 0]
        except TypeError:
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor]}
            ) from None

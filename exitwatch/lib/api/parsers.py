"""The API's JSON parser: a body nested deeper than any input needs is a 400.

Python's json module recurses once per level, so a 2 KB body of 1,000 nested
brackets raised RecursionError, a server error, on every JSON write. No input of
this API nests more than a few levels (a batch of rows, a row, its fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Far above any input here (flights: {"reports": [{...}]} is three levels).
MAX_JSON_DEPTH = 32


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests objects or arrays more than `limit` levels.

    Walked with a stack of its own, not by recursion, for the same reason."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that refuses deep nesting with a 400 naming the limit."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        message = _("The JSON is nested more than %(max)d levels deep.") % {
            "max": MAX_JSON_DEPTH
        }
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if too_deep(data):
            raise ParseError(message)
        return data

"""Filters every API and page shares: strict booleans, aware moments, codes.

Every parameter is validated: a bad date, an unknown country or code, a negative
price or a word where a boolean belongs is a 400 with the field named, never an
empty list nor a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from exitwatch.lib.observed import (
    NAIVE_TIME_MESSAGE,
    OFFSET_MESSAGE,
    UNREADABLE_TIME_MESSAGE,
    offset_in_range,
)


class StrictBooleanField(forms.Field):
    """true/false, 1/0, yes/no; anything else is an error, not "no filter"."""

    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}
    default_error_messages = {
        "invalid": _("Use true or false."),
    }

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class AwareDateTimeField(forms.Field):
    """An ISO 8601 moment with its offset (`2022-09-25T08:00:00Z`): without one
    the same string means different moments to different readers."""

    default_error_messages = {
        "invalid": UNREADABLE_TIME_MESSAGE,
        "naive": NAIVE_TIME_MESSAGE,
        "offset": OFFSET_MESSAGE,
    }

    def to_python(self, value: Any) -> datetime | None:
        if value in (None, ""):
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if moment.tzinfo is None:
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        # Python reads offsets up to a day; PostgreSQL refuses past 15:59 with
        # a server error, so the parameter is refused here by name.
        if not offset_in_range(moment):
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        return moment


class AwareDateTimeFilter(filters.Filter):
    field_class = AwareDateTimeField


class UpperChoiceField(forms.ChoiceField):
    """Codes are matched case-insensitively (`ge` is Georgia)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class CodeFilter(filters.ChoiceFilter):
    field_class = UpperChoiceField


def country_filter(field_name: str, label: str) -> CodeFilter:
    return CodeFilter(
        field_name=field_name,
        label=label,
        choices=lambda: [(code, name) for code, name in countries],
    )

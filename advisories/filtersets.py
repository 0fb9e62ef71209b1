"""Query filters for advisories; bad values are a 400 naming the field."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from advisories.models import Advisory, Level
from exitwatch.lib.filters import country_filter


class AdvisoryFilterSet(filters.FilterSet):
    issuer = country_filter("source__issuer", _("Issuing government (ISO 3166)"))
    target_country = country_filter(
        "target_country", _("Country the advice is about (ISO 3166)")
    )
    level = filters.TypedChoiceFilter(
        choices=Level.choices, coerce=int, label=_("Level, 1 (normal) to 4")
    )
    source = filters.CharFilter(
        field_name="source__key", max_length=40, label=_("Feed key")
    )

    class Meta:
        model = Advisory
        fields = ["issuer", "target_country", "level", "source"]

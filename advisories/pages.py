"""The /advisories/ page: advisories filtered as the API filters them."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from django.db.models import Case, IntegerField, QuerySet, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from advisories.filtersets import AdvisoryFilterSet
from advisories.models import Advisory
from exitwatch.lib.page_filters import FilteredPage, dress_form, paginate


def advisory_page(params: QueryDict) -> FilteredPage:
    """Advisories filtered as the API filters them: advice about Russia first."""
    queryset = Advisory.objects.select_related("source")
    filterset = AdvisoryFilterSet(params, queryset=queryset)
    form = filterset.form
    labels = {
        "issuer": _("Government"),
        "target_country": _("About the country"),
        "level": _("Level"),
        "source": _("Feed"),
    }
    dress_form(form, labels)
    if not filterset.is_valid():
        return FilteredPage(form=form, page=None, ordering="", querystring="")
    russia_first = Case(When(target_country="RU", then=0), default=1)
    rows = filterset.qs.order_by(
        russia_first, _by_country_name(filterset.qs), "-level", "source__key"
    )
    result = paginate(rows, params, form, "")
    _mark_old(result)
    return result


def _by_country_name(advisories: QuerySet[Advisory]) -> Case:
    """Orders by the country's name in the active language: readers scan for a
    name, and ISO codes follow neither language (Finland is FI, Germany DE;
    Казахстан is KZ, Финляндия FI). django-countries' own order does not do:
    it sorts on an ASCII form of the name, which for Cyrillic is empty."""
    present = set(advisories.values_list("target_country", flat=True).distinct())
    ranks = sorted(present, key=lambda code: _name_key(countries.name(code)))
    return Case(
        *(When(target_country=code, then=rank) for rank, code in enumerate(ranks)),
        default=len(ranks),
        output_field=IntegerField(),
    )


def _name_key(name: str) -> tuple[str, str]:
    # Without its marks first, so that "Ё" sorts with "Е" and "Åland" with "A".
    folded = unicodedata.normalize("NFKD", str(name)).casefold()
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return bare, folded


# Advice older than this is shown with its own date first: a 2014 page fetched
# a minute ago must not read as this minute's advice.
OLD_AFTER = timedelta(days=365)


def _mark_old(result: FilteredPage) -> None:
    if result.page is None:
        return
    cutoff = timezone.now() - OLD_AFTER
    rows = list(result.page.object_list)
    for advisory in rows:
        advisory.published_long_ago = bool(
            advisory.published_at and advisory.published_at < cutoff
        )
    result.page.object_list = rows

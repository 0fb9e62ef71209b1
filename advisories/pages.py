"""The /advisories/ page: advisories filtered as the API filters them."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        russia_first, "target_country", "-level", "source__key"
    )
    result = paginate(rows, params, form, "")
    _mark_old(result)
    return result


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

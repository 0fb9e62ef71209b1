"""Template tags of traveller reports, for pages outside this package.

The crossing page (routes) shows a crossing's approved reports as /privacy/
promises; routes may not import this package, so its template asks for them here.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from routes.models import BorderCrossing
from routes.reports.selectors import reports_published

register = template.Library()

# As many as a page shows; the API lists them all.
PAGE_REPORTS = 20


@register.inclusion_tag("reports/_recent.html")
def recent_reports(crossing: BorderCrossing) -> dict[str, Any]:
    """The crossing's approved reports of the last 48 hours, newest first."""
    now = timezone.now()
    return {
        "reports": list(reports_published(crossing=crossing, now=now)[:PAGE_REPORTS])
    }

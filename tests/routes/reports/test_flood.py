"""A flood from one client: the allowed few get through, the rest get 429, no 5xx."""

import time
from collections import Counter

import pytest
from django.test import Client

from routes.reports.models import TravellerReport
from routes.reports.tokens import form_token_issue
from tests.routes.reports.reporting import payload, post_report

pytestmark = pytest.mark.django_db


def test_a_thousand_reports_from_one_client_in_a_minute(crossing, settings):
    flooder = Client(REMOTE_ADDR="198.51.100.66", HTTP_USER_AGENT="flood/1.0")
    started = time.monotonic()
    codes = Counter()
    retry_after = set()
    for n in range(1000):
        # A fresh, genuine form token each time, as a scripted attacker would get.
        response = post_report(
            flooder, payload(wait_minutes=n), token=form_token_issue()
        )
        codes[response.status_code] += 1
        if response.status_code == 429:
            retry_after.add(int(response["Retry-After"]))
    elapsed = time.monotonic() - started

    allowed = settings.REPORT_CLIENT_LIMIT
    assert codes == {201: allowed, 429: 1000 - allowed}
    assert all(1 <= s <= settings.REPORT_CLIENT_WINDOW for s in retry_after)
    assert TravellerReport.objects.count() == allowed
    assert sorted(
        TravellerReport.objects.values_list("wait_minutes", flat=True)
    ) == list(range(allowed))
    assert elapsed < 60, f"1,000 submissions took {elapsed:.1f}s"
    print(f"\nflood: {dict(codes)} in {elapsed:.2f}s")

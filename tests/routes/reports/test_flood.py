"""Floods: one client gets its allowed few and then 429, no 5xx; several clients
flooding one crossing are held back, and an honest traveller still gets through."""

import time
from collections import Counter

import pytest
from django.test import Client

from routes.reports.models import TravellerReport
from routes.reports.selectors import report_queue
from routes.reports.tokens import form_token_issue
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    form_data,
    no_static_manifest,
    page_form_token,
    payload,
    post_report,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_static_manifest")]


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


def test_six_flooding_addresses_do_not_lock_out_a_seventh_honest_reporter(
    crossing, settings, editor
):
    # Six networks send as many reports as their own limit lets them, all at
    # one crossing, in one window: as many as the crossing's budget and more.
    settings.REPORT_CLIENT_LIMIT = 15
    flooders = [Client(REMOTE_ADDR=f"203.0.113.{n}") for n in range(1, 7)]
    codes = Counter()
    for n in range(settings.REPORT_CLIENT_LIMIT):
        for flooder in flooders:
            response = post_report(flooder, payload(wait_minutes=1200 + n))
            codes[response.status_code] += 1
    assert codes == {201: 6 * settings.REPORT_CLIENT_LIMIT}
    assert TravellerReport.objects.count() > settings.REPORT_CROSSING_LIMIT

    # Olga, on another network, reports what she sees: accepted, not held back.
    olga = Client(REMOTE_ADDR="198.51.100.77")
    response = post_report(olga, payload(wait_minutes=95, note="moving"))
    assert response.status_code == 201, response.content
    mine = TravellerReport.objects.get(wait_minutes=95)
    assert not mine.quarantined
    # A second one from her (she corrects her wait) is not held back either.
    assert post_report(olga, payload(wait_minutes=100)).status_code == 201
    assert not TravellerReport.objects.get(wait_minutes=100).quarantined

    # The flooders' reports past the crossing's budget are held back, and the
    # moderators see Olga's before every held report.
    flood = TravellerReport.objects.filter(wait_minutes__gte=1200)
    held = flood.filter(quarantined=True).count()
    assert held == flood.count() - settings.REPORT_CROSSING_LIMIT
    queue = list(report_queue())
    first_held = next(i for i, r in enumerate(queue) if r.quarantined)
    assert queue.index(mine) < first_held
    assert all(r.quarantined for r in queue[first_held:])

    # The same through the page: another traveller is not refused either.
    page = Client(REMOTE_ADDR="198.51.100.78")
    token = page_form_token(page.get("/report/upper-lars/").content.decode())
    sent = page.post("/report/upper-lars/", form_data(form_token=token))
    assert sent.status_code == 302
    assert not TravellerReport.objects.get(wait_minutes=330).quarantined

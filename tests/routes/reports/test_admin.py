"""The moderation queue in the admin: editors, who may approve traveller reports,
get the change page with the moderation buttons, not only "View"."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import StaffFactory
from tests.routes.reports.reporting import ReportFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reports/travellerreport/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def traveller_reports_entry(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return next(
        model
        for app in response.context["app_list"]
        for model in app["models"]
        if model["object_name"] == "TravellerReport"
    )


def buttons(content):
    """The action each moderation button posts, and where to."""
    return {
        value: target
        for target, value in re.findall(
            r'<button type="submit"[^>]*formaction="([^"]+)" name="action" '
            r'value="([a-z_]+)"',
            content,
        )
    }


def test_an_editor_is_offered_the_change_page_not_only_view(editor):
    entry = traveller_reports_entry(logged_in(editor))
    assert entry["view_only"] is False
    assert entry["perms"]["change"] is True


def test_staff_who_may_only_look_still_see_view(db):
    looker = StaffFactory(username="looker")
    looker.user_permissions.add(Permission.objects.get(codename="view_travellerreport"))
    entry = traveller_reports_entry(logged_in(looker))
    assert entry["view_only"] is True
    report = ReportFactory()
    page = logged_in(looker).get(f"{QUEUE}{report.pk}/change/")
    assert page.status_code == 200
    assert buttons(page.content.decode()) == {}


def test_an_editor_approves_from_the_reports_own_page(crossing, editor):
    report = ReportFactory(crossing=crossing, wait_minutes=240)
    client = logged_in(editor)
    page = client.get(f"{QUEUE}{report.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert buttons(content) == {
        "approve": QUEUE,
        "reject": QUEUE,
        "mark_verified": QUEUE,
    }
    assert 'name="_save"' not in content  # nothing on the page is edited
    response = client.post(
        QUEUE, {"action": "approve", "_selected_action": [str(report.pk)]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.moderated_by) == ("approved", editor)
    # Decided: only verifying is left to offer.
    again = client.get(f"{QUEUE}{report.pk}/change/").content.decode()
    assert buttons(again) == {"mark_verified": QUEUE}


def test_the_change_page_saves_nothing(crossing, editor):
    report = ReportFactory(crossing=crossing, note="original")
    response = logged_in(editor).post(
        f"{QUEUE}{report.pk}/change/", {"note": "rewritten", "_save": "Save"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.note, report.state) == ("original", "pending")

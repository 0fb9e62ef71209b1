"""Trusted reporters: a revocable token (only its hash stored) publishes directly,
audited with the token's label; issued in the admin (shown once) or by command."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from routes.models import CrossingUpdate
from routes.reports.models import TravellerReport, TrustedReporterToken
from routes.reports.services import trusted_token_issue, trusted_token_revoke
from routes.reports.tokens import trusted_token_hash
from tests.routes.reports.reporting import (  # noqa: F401  (fixtures)
    API,
    no_static_manifest,
    payload,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_static_manifest"),
]


def post_as(raw, data):
    return Client().post(
        API, data, content_type="application/json", HTTP_AUTHORIZATION=f"Reporter {raw}"
    )


def test_a_trusted_report_is_published_at_once_and_audited(crossing):
    token, raw = trusted_token_issue(label="Volunteers at Upper Lars")
    response = post_as(raw, payload(wait_minutes=500))  # no form token needed
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "approved"
    assert response.json()["trusted"] is True
    report = TravellerReport.objects.get()
    assert report.published_with == token
    crossing.refresh_from_db()
    assert crossing.wait_car == 500
    update = CrossingUpdate.objects.get()
    assert update.source_kind == "traveller"
    assert update.actor is None
    assert update.actor_label == "trusted reporter: Volunteers at Upper Lars"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(db):
    token, raw = trusted_token_issue(label="Team B")
    assert raw.startswith("rpt_") and len(raw) > 40
    assert token.token_hash == trusted_token_hash(raw)
    stored = list(TrustedReporterToken.objects.values_list(flat=False))
    assert raw not in repr(stored)


@pytest.mark.parametrize(
    "header",
    ["Reporter rpt_unknown", "Reporter", "Reporter a b", "Reporter " + "x" * 300],
)
def test_a_bad_reporter_token_is_a_401_and_stores_nothing(crossing, header):
    response = Client().post(
        API, payload(), content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Reporter"
    assert TravellerReport.objects.count() == 0


def test_a_revoked_token_stops_working_at_once(crossing, superuser):
    token, raw = trusted_token_issue(label="Team C")
    assert post_as(raw, payload()).status_code == 201
    trusted_token_revoke(token=token, actor=superuser)
    assert post_as(raw, payload()).status_code == 401
    assert TravellerReport.objects.count() == 1


def test_a_trusted_report_with_bad_fields_is_a_400_and_nothing_moves(crossing):
    _token, raw = trusted_token_issue(label="Team D")
    response = post_as(raw, payload(wait_minutes=-5))
    assert response.status_code == 400
    assert "wait_minutes" in response.json()
    assert TravellerReport.objects.count() == 0
    assert CrossingUpdate.objects.count() == 0


def test_a_token_has_its_own_rate_limit(crossing, settings):
    settings.REPORT_TRUSTED_LIMIT = 2
    _token, raw = trusted_token_issue(label="Team E")
    codes = [post_as(raw, payload(wait_minutes=n)).status_code for n in range(3)]
    assert codes == [201, 201, 429]


def test_a_superuser_issues_a_token_in_the_admin_and_sees_it_once(superuser):
    client = Client()
    client.force_login(superuser)
    response = client.post(
        "/admin/reports/trustedreportertoken/add/", {"label": "Sadakhlo team"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_token"]
    token = TrustedReporterToken.objects.get()
    assert token.token_hash == trusted_token_hash(raw)
    assert token.created_by == superuser
    change = client.get(f"/admin/reports/trustedreportertoken/{token.pk}/change/")
    assert raw not in change.content.decode()
    client.post(
        "/admin/reports/trustedreportertoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_by == superuser


def test_editors_cannot_issue_tokens(editor):
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/admin/reports/trustedreportertoken/add/", {"label": "Sneaky"}
    )
    assert response.status_code == 403
    assert TrustedReporterToken.objects.count() == 0


def test_the_command_issues_lists_and_revokes(db, capsys):
    call_command("reporter_token", "issue", "--label", "Verkhny Lars volunteers")
    out = capsys.readouterr().out
    raw = out.rsplit(" ", 1)[-1].strip()
    token = TrustedReporterToken.objects.get()
    assert token.token_hash == trusted_token_hash(raw)
    call_command("reporter_token", "list")
    assert "active" in capsys.readouterr().out
    call_command("reporter_token", "revoke", raw)
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="0 active tokens"):
        call_command("reporter_token", "revoke", raw)
    with pytest.raises(CommandError):
        call_command("reporter_token", "issue", "--label", "  ")

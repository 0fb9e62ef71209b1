"""The staff admin shows source health and can refresh a source now."""

import pytest

from advisories.models import Advisory
from tests.support.feedserver import Route

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Pages render without `collectstatic`'s manifest in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def test_the_source_list_flags_overdue_and_failing_sources(client, superuser, sources):
    client.force_login(superuser)
    response = client.get("/admin/advisories/advisorysource/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No success for 12 h" in content
    assert "Last attempt failed" in content
    # never fetched: all four are flagged
    assert (
        content.count(
            '<td class="field-overdue"><img src="/static/admin/img/icon-yes.svg"'
        )
        == 4
    )


def test_refresh_now_queues_the_source_for_the_workers(
    client, superuser, served_sources, eager_celery, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:6379/11"  # as configured; tasks eager
    client.force_login(superuser)
    source = served_sources["us-state"]
    response = client.post(
        "/admin/advisories/advisorysource/",
        {"action": "refresh_now", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Queued a refresh of 1 sources." in response.content.decode()
    assert Advisory.objects.filter(source=source).count() == 69


def test_refresh_now_without_a_broker_runs_here_and_reports(
    client, superuser, served_sources, feed_server, settings
):
    settings.REDIS_URL = ""
    feed_server.add("/destinations-export", Route(b"", status=503))
    client.force_login(superuser)
    picked = [served_sources["us-state"].pk, served_sources["au-smartraveller"].pk]
    response = client.post(
        "/admin/advisories/advisorysource/",
        {"action": "refresh_now", "_selected_action": picked},
        follow=True,
    )
    content = response.content.decode()
    assert "US Department of State — us-state: 69 advisories seen, 69 new" in content
    assert "(Smartraveller) — au-smartraveller: failed: HTTP 503" in content
    # One attempt, no retries inside a web request.
    assert len(feed_server.hits("/destinations-export")) == 1

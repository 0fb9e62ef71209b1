"""Raw reports are deleted after the retention period; the history they fed stays."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from exitwatch.celery import app
from routes.models import CrossingUpdate
from routes.reports.models import TravellerReport
from routes.reports.services import report_approve
from routes.reports.tasks import purge_old_reports
from tests.routes.reports.reporting import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new(crossing):
    old = report_approve(report=ReportFactory(crossing=crossing))
    TravellerReport.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=31)
    )
    ReportFactory(crossing=crossing, submitted_at=timezone.now() - timedelta(days=29))
    return old


def test_the_command_deletes_reports_past_retention_and_keeps_history(
    old_and_new, capsys
):
    call_command("purge_reports")
    assert "deleted 1 reports older than 30 days" in capsys.readouterr().out
    assert not TravellerReport.objects.filter(pk=old_and_new.pk).exists()
    assert TravellerReport.objects.count() == 1
    update = CrossingUpdate.objects.get()
    assert (update.source_kind, update.wait_car) == ("traveller", 120)
    assert update.wait_basis["car"]["count"] == 1


def test_the_periodic_task_purges_and_is_idempotent(old_and_new, settings):
    settings.REPORT_RETENTION_DAYS = 20
    assert purge_old_reports.apply().get() == 2
    assert purge_old_reports.apply().get() == 0
    assert CrossingUpdate.objects.count() == 1


def test_the_worker_registers_the_purge_task():
    app.loader.import_default_modules()
    assert "routes.reports.tasks.purge_old_reports" in app.tasks

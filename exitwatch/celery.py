"""The Celery app: configuration comes from Django settings (CELERY_* names)."""

from celery import Celery

from exitwatch.boot import load_settings_or_exit

load_settings_or_exit()

from exitwatch.lib.metrics import connect_celery_signals  # noqa: E402 (settings first)

app = Celery("exitwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task runs and durations in every process; a worker serves them (docs/operations.md).
connect_celery_signals()

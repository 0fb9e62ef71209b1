"""The Celery app: configuration comes from Django settings (CELERY_* names)."""

from celery import Celery

from exitwatch.boot import load_settings_or_exit

load_settings_or_exit()

app = Celery("exitwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

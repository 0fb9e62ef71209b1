"""Admin for the official checkpoint list's health (written by its runs)."""

from __future__ import annotations

from django.contrib import admin

from exitwatch.lib.admin import WorkerSourceAdmin
from routes.checkpoints.models import OfficialListSource

admin.site.register(OfficialListSource, WorkerSourceAdmin)

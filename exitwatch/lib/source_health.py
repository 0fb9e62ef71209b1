"""How an external source's last runs went: the fields and rules every source
shares (advisory feeds, flight providers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No successful run for this long flags a source on the dashboard and in the admin.
SOURCE_OVERDUE_AFTER = timedelta(hours=12)


class SourceHealth(models.Model):
    """How an external source's last runs went (advisory feeds, flight providers).

    A subclass has an `enabled` field: a disabled source is never overdue.
    """

    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error"), null=True, blank=True)
    last_error = models.TextField(_("last error message"), blank=True)
    items_seen = models.PositiveIntegerField(_("items seen"), default=0)
    items_changed = models.PositiveIntegerField(_("items changed"), default=0)

    class Meta:
        abstract = True

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Enabled, yet no successful run for SOURCE_OVERDUE_AFTER (never counts)."""
        if not self.enabled:
            return False
        if self.last_success_at is None:
            return True
        return (now or timezone.now()) - self.last_success_at > SOURCE_OVERDUE_AFTER

    @property
    def is_failing(self) -> bool:
        """The most recent attempt failed."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at > self.last_success_at
        )

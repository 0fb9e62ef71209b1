"""Background tasks recorded in the database before they are sent to the broker.

A task sent from `transaction.on_commit` while Redis is down is lost once the data it
belongs to is committed (docs/architecture.md, "Known traps"). A task that must not
be lost is written here in the same transaction as its data, sent after commit, and
sent again by the drain until the broker has taken it: at least once, never lost.
Tasks sent this way must be idempotent (every ExitWatch task is).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self) -> "OutboxMessageQuerySet":
        return self.filter(sent_at__isnull=True)


class OutboxMessage(models.Model):
    """One Celery task call waiting for (or already handed to) the broker."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_pending"
            )
        ]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "pending"
        return f"{self.task} #{self.pk} ({state})"

"""The official checkpoint list as a source: how its last runs went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.source_health import SourceHealth


class OfficialListSource(SourceHealth):
    """An official list of checkpoints (Rosgranstroy's) and how its last runs
    went, fetched or loaded from saved copies.

    The row is created by the first run; `url` and `enabled` follow the
    settings (ROSGRANSTROY_URL, ROSGRANSTROY_ENABLED) as of the last run.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("feed URL"), max_length=500)
    enabled = models.BooleanField(_("enabled"), default=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("official checkpoint list")
        verbose_name_plural = _("official checkpoint lists")

    def __str__(self) -> str:
        return self.name

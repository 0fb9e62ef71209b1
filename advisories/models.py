"""Official travel advisories, the feeds they come from, and their revisions."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exitwatch.lib.source_health import SOURCE_OVERDUE_AFTER, SourceHealth


class Level(models.IntegerChoices):
    """Advice levels normalised to the common four-step scale."""

    NORMAL = 1, _("Exercise normal precautions")
    CAUTION = 2, _("Exercise increased caution")
    RECONSIDER = 3, _("Reconsider travel")
    DO_NOT_TRAVEL = 4, _("Do not travel")


# A source without a successful fetch for this long is flagged to staff and in the
# API: its advisories may be out of date.


class AdvisorySourceQuerySet(models.QuerySet):
    def overdue(self, now: datetime | None = None) -> AdvisorySourceQuerySet:
        """Enabled sources with no successful fetch in SOURCE_OVERDUE_AFTER."""
        cutoff = (now or timezone.now()) - SOURCE_OVERDUE_AFTER
        return self.filter(enabled=True).filter(
            Q(last_success_at__isnull=True) | Q(last_success_at__lt=cutoff)
        )


class AdvisorySource(SourceHealth):
    """One government's advisory feed and how its last fetches went."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    issuer = CountryField(_("issuing government"))
    url = models.URLField(_("feed URL"), max_length=500)
    parser = models.CharField(_("parser"), max_length=60)
    poll_interval_minutes = models.PositiveIntegerField(
        _("poll every (min)"), default=30
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    objects = AdvisorySourceQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("advisory source")
        verbose_name_plural = _("advisory sources")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        return self.name_ru if lang == "ru" and self.name_ru else self.name_en


class Advisory(models.Model):
    """The current advice of one issuer about one destination country."""

    source = models.ForeignKey(
        AdvisorySource, on_delete=models.PROTECT, related_name="advisories"
    )
    target_country = CountryField(_("destination"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    level_text = models.CharField(_("issuer's wording"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (sanitised HTML)"), blank=True)
    url = models.URLField(_("URL"), max_length=500)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    fetched_at = models.DateTimeField(_("last fetched"))
    changed_at = models.DateTimeField(_("last changed"))

    class Meta:
        ordering = ["target_country", "source"]
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_country"],
                name="advisories_advisory_source_country_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="advisories_advisory_level_range",
                violation_error_message=_("Level must be between 1 and 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.key}:{self.target_country.code} L{self.level}"


class AdvisoryRevision(models.Model):
    """A past version of an advisory, kept whenever its content changes."""

    class Change(models.TextChoices):
        NEW = "new", _("New")
        LEVEL_UP = "level_up", _("Level raised")
        LEVEL_DOWN = "level_down", _("Level lowered")
        CONTENT = "content", _("Text changed")

    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, related_name="revisions"
    )
    change = models.CharField(_("change"), max_length=16, choices=Change.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    level_text = models.CharField(_("issuer's wording"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (sanitised HTML)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("advisory revision")
        verbose_name_plural = _("advisory revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="advisories_revision_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisory} {self.change} {self.recorded_at:%Y-%m-%d}"

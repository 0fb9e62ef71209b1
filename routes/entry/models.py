"""Entry rules: what a destination lets a citizen do, dated and sourced.

A rule is a claim like a crossing's status: it says what was true from
`valid_from`, who says so and where. Rules are append-only (a database trigger
refuses UPDATE, and DELETE on PostgreSQL); a change is a new rule. They are
written only by routes.entry.services.entry_rule_record.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# Destinations with no ISO 3166 code of their own (two de facto states, and
# Kosovo, whose code is user-assigned): the codes the passport
# tables and the official checkpoint list use for them.
NON_ISO_DESTINATIONS = {
    "AB": _("Abkhazia"),
    "OS": _("South Ossetia"),
    "XK": _("Kosovo"),
}
# The longest stay or period a rule may state: ten years, past any real rule.
MAX_DAYS = 3650


class Visa(models.TextChoices):
    FREE = "free", _("No visa needed")
    ON_ARRIVAL = "on-arrival", _("Visa on arrival")
    E_VISA = "e-visa", _("E-visa")
    ETA = "eta", _("Electronic travel authorisation")
    REQUIRED = "required", _("Visa required")
    REFUSED = "refused", _("Entry refused")


class RuleSource(models.TextChoices):
    # A whole visa table's row, read in bulk: the floor that curated rules,
    # each with its own source, override.
    BASELINE = "baseline", _("Visa table")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner")
    OFFICIAL = "official", _("Official")


def destination_name(code: str) -> str:
    """The destination's name in the active language."""
    if code in NON_ISO_DESTINATIONS:
        return str(NON_ISO_DESTINATIONS[code])
    return str(countries.name(code)) or code


@lru_cache(maxsize=512)
def destination_names(code: str) -> tuple[str, str]:
    """The destination's English and Russian names; kept once looked up (they
    change only with a release)."""
    names = []
    for lang in ("en", "ru"):
        with translation.override(lang):
            names.append(destination_name(code))
    return names[0], names[1]


class EntryRule(models.Model):
    """What `destination` lets a citizen of `citizenship` do from `valid_from`.

    Fields left None are not known from this rule's source (a visa table says
    nothing of internal passports); a later or curated rule may say.
    """

    citizenship = models.CharField(_("citizenship"), max_length=2, default="RU")
    destination = models.CharField(_("destination"), max_length=2)
    valid_from = models.DateTimeField(_("valid from"))
    visa = models.CharField(_("visa"), max_length=16, choices=Visa.choices)
    free_days = models.PositiveSmallIntegerField(
        _("visa-free days"), null=True, blank=True
    )
    period_days = models.PositiveSmallIntegerField(
        _("within (days)"), null=True, blank=True
    )
    internal_passport_ok = models.BooleanField(
        _("internal passport accepted"), null=True, blank=True
    )
    schengen_visa_holders_refused = models.BooleanField(
        _("refused even with a Schengen visa"), null=True, blank=True
    )
    registration_days = models.PositiveSmallIntegerField(
        _("register within (days)"), null=True, blank=True
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    source_kind = models.CharField(
        _("source"), max_length=16, choices=RuleSource.choices
    )
    source_url = models.URLField(_("source URL"), max_length=500)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    actor_label = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        ordering = ["destination", "-valid_from", "-id"]
        verbose_name = _("entry rule")
        verbose_name_plural = _("entry rules")
        permissions = [("record_rule", _("Can record an entry rule"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(visa__in=Visa.values),
                name="entry_rule_visa_valid",
                violation_error_message=_("Unknown kind of visa."),
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=RuleSource.values),
                name="entry_rule_source_valid",
                violation_error_message=_("Unknown source kind."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__lte": MAX_DAYS}),
                    name=f"entry_rule_{name}_range",
                    violation_error_message=_("Too many days."),
                )
                for name in ("free_days", "period_days", "registration_days")
            ),
        ]
        indexes = [
            models.Index(
                fields=["citizenship", "destination", "source_kind", "-valid_from"],
                name="entry_rule_at",
            )
        ]

    def __str__(self) -> str:
        when = f"{self.valid_from:%Y-%m-%d}"
        return f"{self.citizenship}→{self.destination} {self.visa} from {when}"

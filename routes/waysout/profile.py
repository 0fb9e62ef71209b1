"""A traveller's profile: who they are, what documents they hold, how they travel.

It arrives in the query string (the page keeps it in the URL and, only if the
person agrees, in their own browser) and is used for one answer: it is never
stored or logged on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Citizenship(models.TextChoices):
    RU = "RU", gettext_lazy("Russia")
    DUAL = "dual", gettext_lazy("Russia and another country")
    OTHER = "other", gettext_lazy("Another country only")


class Document(models.TextChoices):
    INTERNAL = "internal", gettext_lazy("Internal passport only")
    PASSPORT = "passport", gettext_lazy("Foreign (international) passport")


class VisaHeld(models.TextChoices):
    NONE = "none", gettext_lazy("No visa")
    SCHENGEN = "schengen", gettext_lazy("A Schengen visa")
    # A visa of the country the way out leads to, other than a Schengen one.
    OTHER = "other", gettext_lazy("A visa of the country I go to")


class Travel(models.TextChoices):
    CAR = "car", gettext_lazy("Own car with Russian plates")
    BUS = "bus", gettext_lazy("Bus")
    FOOT = "foot", gettext_lazy("On foot")
    PLANE = "plane", gettext_lazy("Plane")


PROFILE_PARAMS = ("citizenship", "document", "visa", "mode")
# Each profile field's choices, for the forms that ask for them.
PROFILE_CHOICES = {
    "citizenship": Citizenship.choices,
    "document": Document.choices,
    "visa": VisaHeld.choices,
    "mode": Travel.choices,
}


@dataclass(frozen=True)
class Profile:
    """One traveller's situation; `mode` "" means any way of travelling."""

    citizenship: str = Citizenship.RU
    document: str = Document.PASSPORT
    visa: str = VisaHeld.NONE
    mode: str = ""

    @property
    def russian(self) -> bool:
        return self.citizenship in (Citizenship.RU, Citizenship.DUAL)

    def as_params(self) -> dict[str, str]:
        params = {
            "citizenship": self.citizenship,
            "document": self.document,
            "visa": self.visa,
        }
        if self.mode:
            params["mode"] = self.mode
        return params


def profile_from(params: Mapping[str, str]) -> tuple[Profile, dict[str, list[str]]]:
    """The profile a query names, and field messages for what it names wrongly.
    Absent fields take the defaults (a Russian citizen with a foreign passport
    and no visa, any way of travelling)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name, choices in (
        ("citizenship", Citizenship),
        ("document", Document),
        ("visa", VisaHeld),
        ("mode", Travel),
    ):
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if value not in choices.values:
            errors[name] = [
                _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(choices.values)}
            ]
        else:
            values[name] = value
    profile = Profile(**values)
    if profile.document == Document.INTERNAL and not profile.russian:
        errors.setdefault("document", []).append(
            _("The internal passport is a Russian citizen's document.")
        )
    if profile.document == Document.INTERNAL and profile.visa != VisaHeld.NONE:
        errors.setdefault("visa", []).append(
            _("A visa goes in a foreign passport, not the internal one.")
        )
    return profile, errors

"""The report form on /report/ and /report/<slug>/: parsing only.

Rules about what a report may say live in report_services.report_validate, which
the API's serializer calls too, so both front doors refuse the same things.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routes.models import CROSSING_NAME_FIELDS, BorderCrossing, Mode
from routes.reports.models import (
    MAX_QUEUE_POSITION,
    MAX_REPORT_NOTE_LENGTH,
    REPORTED_STATUSES,
    Direction,
)
from routes.reports.services import report_validate
from routes.reports.tokens import FormTokenError, form_token_check

# A list instead of a clock: no time zones to get wrong on a phone at a border
# (Kaliningrad to Vladivostok), and nothing older than the 48 h the API allows.
OBSERVED_AGO_CHOICES = [
    (0, _("Just now")),
    (15, _("15 minutes ago")),
    (30, _("30 minutes ago")),
    (60, _("1 hour ago")),
    (120, _("2 hours ago")),
    (180, _("3 hours ago")),
    (360, _("6 hours ago")),
    (720, _("12 hours ago")),
    (1440, _("A day ago")),
]

# Service field names → the form fields that show their messages.
FIELD_FOR = {"wait_minutes": "wait_hours", "observed_at": "observed_ago"}


def crossing_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Crossings grouped by neighbour country, for an <optgroup>ed select."""
    crossings = BorderCrossing.objects.order_by("country", "name_en").only(
        "slug", *CROSSING_NAME_FIELDS
    )
    return [
        (
            str(country.name),
            [(c.slug, f"{c.name} – {c.neighbour_name}") for c in group],
        )
        for country, group in groupby(crossings, key=lambda c: c.country)
    ]


class ReportForm(forms.Form):
    crossing = forms.ChoiceField(label=_("Crossing"))
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.LEAVING,
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label=_("How are you crossing?"), choices=Mode.choices, widget=forms.RadioSelect
    )
    status_seen = forms.ChoiceField(
        label=_("What do you see?"),
        choices=[(s.value, s.label) for s in REPORTED_STATUSES],
        widget=forms.RadioSelect,
    )
    wait_hours = forms.IntegerField(
        label=_("Waited so far: hours"), min_value=0, max_value=168, required=False
    )
    wait_minutes = forms.IntegerField(
        label=_("minutes"), min_value=0, max_value=59, required=False
    )
    queue_position = forms.IntegerField(
        label=_("…or your place in the queue"),
        min_value=0,
        max_value=MAX_QUEUE_POSITION,
        required=False,
        help_text=_("About how many vehicles or people are ahead of you."),
    )
    observed_ago = forms.TypedChoiceField(
        label=_("When did you see this?"),
        choices=OBSERVED_AGO_CHOICES,
        coerce=int,
        initial=0,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=MAX_REPORT_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What helps others: which side is slow, what is checked. No names: "
            "phone numbers, e-mails and plates are removed."
        ),
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.fields["crossing"].choices = [
            ("", _("Choose a crossing")),
            *crossing_choices(),
        ]
        self.nonce: str | None = None

    def clean_crossing(self) -> BorderCrossing:
        crossing = BorderCrossing.objects.filter(
            slug=self.cleaned_data["crossing"]
        ).first()
        if crossing is None:
            raise forms.ValidationError(_("Choose a crossing from the list."))
        return crossing

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_form_token(self) -> str:
        try:
            self.nonce = form_token_check(self.cleaned_data["form_token"])
        except FormTokenError as exc:
            raise forms.ValidationError(str(exc)) from None
        return self.cleaned_data["form_token"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = report_validate(**self.report_fields(crossing=False))
        for field, messages in errors.items():
            target = FIELD_FOR.get(field, field)
            self.add_error(target if target in self.fields else None, messages)
        return cleaned

    def report_fields(self, *, crossing: bool = True) -> dict[str, Any]:
        """The cleaned data as report_submit's keyword arguments."""
        data = self.cleaned_data
        hours, minutes = data.get("wait_hours"), data.get("wait_minutes")
        wait = (
            None
            if hours is None and minutes is None
            else (hours or 0) * 60 + (minutes or 0)
        )
        fields = {
            "direction": data["direction"],
            "mode": data["mode"],
            "status_seen": data["status_seen"],
            "wait_minutes": wait,
            "queue_position": data.get("queue_position"),
            "observed_at": timezone.now() - timedelta(minutes=data["observed_ago"]),
            "note": data.get("note", ""),
            "language": self.language,
        }
        if crossing:
            fields["crossing"] = data["crossing"]
        return fields

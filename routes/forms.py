"""The staff forms for crossings (the admin's): parsing and what a form alone
can tell. Whether an update may be recorded is the write path's to say
(routes.services); its refusals are shown on these forms (refusal_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from routes.models import (
    MAX_UPDATE_NOTE_LENGTH,
    MAX_WAIT_MINUTES,
    WAIT_MODES,
    BorderCrossing,
    Side,
)
from routes.services import DETAIL_FIELDS, CrossingChangedError

STATE_FIELDS = ("status", *(f"wait_{m}" for m in WAIT_MODES), "queue_length")

# The sides a staff member may name for a status, and the form field each of the
# service's field messages belongs to.
SIDE_CHOICES = [
    (Side.RUSSIAN, Side.RUSSIAN.label),
    (Side.NEIGHBOUR, Side.NEIGHBOUR.label),
    (Side.BOTH, Side.BOTH.label),
]
SERVICE_FIELDS = {
    "source_url": "update_source_url",
    "note": "update_note",
    "side": "update_side",
}


def refusal_errors(
    error: ValidationError, fields: Any, renamed: dict[str, str]
) -> dict[str | None, list[str]]:
    """The service's messages by the form field they belong to (None: the form as
    a whole, for a field the form does not have)."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {}
    errors: dict[str | None, list[str]] = {}
    for name, texts in by_field.items():
        field = renamed.get(name, name)
        errors.setdefault(field if field in fields else None, []).extend(texts)
    if not by_field:
        errors[None] = list(error.messages)
    return errors


class CrossingAdminForm(forms.ModelForm):
    """The crossing form; `expected_version` makes a save from a stale page fail."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    update_note = forms.CharField(
        label=_("Note for this update"),
        required=False,
        max_length=MAX_UPDATE_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the status or waits changed, and where you saw it."),
    )
    update_source_url = forms.URLField(
        label=_("Source URL for this update"), required=False, max_length=500
    )
    update_side = forms.ChoiceField(
        label=_("Side of the border"),
        choices=[("", "---------"), *SIDE_CHOICES],
        required=False,
        help_text=_(
            "Which side the status above is about; required when the status "
            "changes. The crossing's status is the stricter of its two sides."
        ),
    )

    # The write path's ValidationError from a first attempt at this save, set by
    # BorderCrossingAdmin.get_form: shown as this form's errors.
    refused: ValidationError | None = None

    class Meta:
        model = BorderCrossing
        fields = [*DETAIL_FIELDS, *STATE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version
        for name in STATE_FIELDS[1:]:
            if name in self.fields:
                self.fields[name].max_value = MAX_WAIT_MINUTES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and "expected_version" in cleaned:
            # The admin runs the whole request in a transaction: this lock holds
            # until our save commits, so a second editor waits, then fails here.
            current = BorderCrossing.objects.select_for_update().get(
                pk=self.instance.pk
            )
            if current.version != cleaned["expected_version"]:
                raise ValidationError(str(CrossingChangedError(current)), code="stale")
        if "status" in self.changed_data and not cleaned.get("update_side"):
            self.add_error(
                "update_side", _("Say which side of the border this status is about.")
            )
        if self.refused is not None:
            for field, messages in refusal_errors(
                self.refused, self.fields, SERVICE_FIELDS
            ).items():
                self.add_error(field, messages)
        return cleaned

    def claims_status(self) -> bool:
        """The save records a status: it changed, or a side was named for it."""
        return "status" in self.changed_data or bool(
            self.cleaned_data.get("update_side")
        )


class BulkStatusForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Side of the border"),
        choices=SIDE_CHOICES,
        help_text=_(
            "Which side changes. A crossing's status is the stricter of its two "
            "sides, so opening one side does not open a crossing the other closed."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_UPDATE_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: why these crossings change, and the source."),
    )
    source_url = forms.URLField(label=_("Source URL"), required=False, max_length=500)

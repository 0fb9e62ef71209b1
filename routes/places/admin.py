"""Places in the admin: browsable, and added or corrected through the one write
path (routes.places.services.place_upsert), which checks what the loader checks.

A place is never deleted here: the seed file is where places come from, and a
place dropped from it stays until someone removes it on purpose.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from routes.places.models import Place
from routes.places.services import place_checked, place_upsert

FORM_FIELDS = [
    "slug",
    "name_en",
    "name_ru",
    "region_en",
    "region_ru",
    "region_code",
    "kind",
    "latitude",
    "longitude",
    "airports",
    "source_url",
    "source_date",
    "note",
]


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = FORM_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in FORM_FIELDS}
        values["slug"] = self.instance.slug or values["slug"] or ""
        values["airports"] = values["airports"] or []
        values["note"] = values["note"] or ""
        if self.errors:
            return cleaned
        # Checked by the write path itself, so the admin says what the loader
        # says; the place is saved in save_model.
        try:
            place_checked(**values)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        self.place_values = values
        return cleaned


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    form = PlaceForm
    list_display = ["name_en", "name_ru", "region_en", "kind", "airports"]
    list_filter = ["kind"]
    search_fields = ["slug", "name_en", "name_ru", "region_en", "region_ru"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Place | None = None
    ) -> list[str]:
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Place, form: Any, change: bool
    ) -> None:
        place, _ = place_upsert(**form.place_values)
        obj.pk = place.pk

"""Access rules in the admin: browsable, and added through the one write path.

A rule is never edited or deleted (the database refuses too): a change is a new
rule with its own date and source. The add form starts from the rule in force
for a crossing's side when the link names them (?crossing=<id>&side=ru), so
staff change what changed and keep the rest.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routes.access.models import SIDES, AccessMode, CrossingAccessRule
from routes.access.selectors import access_at
from routes.access.services import access_rule_record, rule_problems

RULE_FIELDS = (
    "crossing",
    "side",
    "valid_from",
    "who",
    "vehicles_refused",
    "hours",
    "source_kind",
    "source_url",
    "note_en",
    "note_ru",
)


class CrossingAccessRuleForm(forms.ModelForm):
    modes = forms.MultipleChoiceField(
        label=_("Ways to cross"),
        choices=AccessMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: no traveller may cross on this side."),
    )
    modes_unknown = forms.BooleanField(
        label=_("Ways to cross not known"),
        required=False,
        help_text=_("Tick when the source does not say how travellers cross."),
    )

    class Meta:
        model = CrossingAccessRule
        fields = [*RULE_FIELDS[:3], "modes", "modes_unknown", *RULE_FIELDS[3:]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Checked by the write path itself, so the admin says what the API and
        # the loader say; the row is saved in save_model.
        values = {name: cleaned.get(name) for name in RULE_FIELDS}
        values.update(
            modes=None if cleaned.get("modes_unknown") else cleaned.get("modes", []),
            who=cleaned.get("who") or "",
            vehicles_refused=cleaned.get("vehicles_refused") or "",
            hours=(cleaned.get("hours") or "").strip(),
            source_url=cleaned.get("source_url") or "",
            note_en=cleaned.get("note_en") or "",
            note_ru=cleaned.get("note_ru") or "",
        )
        if values["crossing"] is not None and values["valid_from"] is not None:
            problems = rule_problems(
                **{k: v for k, v in values.items() if k != "crossing"},
                now=timezone.now(),
            )
            for field, messages in problems.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        self.rule_values = values
        return cleaned

    def validate_unique(self) -> None:
        pass


@admin.register(CrossingAccessRule)
class CrossingAccessRuleAdmin(admin.ModelAdmin):
    form = CrossingAccessRuleForm
    list_display = [
        "crossing",
        "side",
        "valid_from",
        "modes",
        "who",
        "vehicles_refused",
        "hours",
        "source_kind",
    ]
    list_filter = ["side", "source_kind", "who", "vehicles_refused"]
    list_select_related = ["crossing"]
    search_fields = ["crossing__slug", "crossing__name_en", "note_en", "source_url"]
    date_hierarchy = "valid_from"
    raw_id_fields = ["crossing"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        crossing, side = request.GET.get("crossing", ""), request.GET.get("side", "")
        if not crossing.isdigit() or side not in SIDES:
            return initial
        current = access_at(crossings=[int(crossing)]).get(int(crossing), {}).get(side)
        if current is not None:
            initial.update(
                modes=sorted(current.modes or ()),
                modes_unknown=current.modes is None,
                who=current.who,
                vehicles_refused=current.vehicles_refused,
                hours=current.hours,
            )
        return initial

    def save_model(
        self, request: HttpRequest, obj: CrossingAccessRule, form: Any, change: bool
    ) -> None:
        rule, _created = access_rule_record(**form.rule_values, actor=request.user)
        obj.pk = rule.pk

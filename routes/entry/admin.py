"""Entry rules in the admin: browsable, and added through the one write path.

A rule is never edited or deleted (the database refuses too): a change is a new
rule with its own date and source.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from routes.entry.models import EntryRule, RuleSource
from routes.entry.services import (
    TERM_FIELDS,
    RuleTerms,
    entry_rule_record,
    rule_problems,
)


class EntryRuleForm(forms.ModelForm):
    class Meta:
        model = EntryRule
        fields = [
            "destination",
            "valid_from",
            *TERM_FIELDS,
            "source_kind",
            "source_url",
            "note_en",
            "note_ru",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The visa table is loaded, never typed in.
        if "source_kind" in self.fields:
            self.fields["source_kind"].choices = [
                c for c in RuleSource.choices if c[0] != RuleSource.BASELINE
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Checked by the write path itself, so the admin says what the API and
        # the loader say; the row is saved in save_model.
        values = {
            "destination": (cleaned.get("destination") or "").upper(),
            "valid_from": cleaned.get("valid_from"),
            "terms": RuleTerms(**{name: cleaned.get(name) for name in TERM_FIELDS}),
            "source_kind": cleaned.get("source_kind") or RuleSource.STAFF,
            "source_url": cleaned.get("source_url") or "",
            "note_en": cleaned.get("note_en") or "",
            "note_ru": cleaned.get("note_ru") or "",
        }
        if cleaned.get("valid_from") is not None:
            problems = rule_problems(
                values["destination"],
                "RU",
                values["valid_from"],
                values["terms"],
                values["source_kind"],
                values["source_url"],
                timezone.now(),
            )
            for field, messages in problems.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        self.rule_values = values
        return cleaned

    def validate_unique(self) -> None:
        pass


@admin.register(EntryRule)
class EntryRuleAdmin(admin.ModelAdmin):
    form = EntryRuleForm
    list_display = [
        "destination",
        "valid_from",
        "visa",
        "free_days",
        "internal_passport_ok",
        "schengen_visa_holders_refused",
        "source_kind",
    ]
    list_filter = ["source_kind", "visa"]
    search_fields = ["destination", "note_en", "note_ru", "source_url"]
    date_hierarchy = "valid_from"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: EntryRule, form: Any, change: bool
    ) -> None:
        rule, _ = entry_rule_record(
            **form.rule_values, actor_label=request.user.get_username()
        )
        obj.pk = rule.pk

"""GET /api/v1/entry-rules/: what each destination lets a Russian citizen do."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exitwatch.lib.api.base import StrictParamsMixin
from exitwatch.lib.api.schema import read_responses
from exitwatch.lib.formatting import iso_z
from exitwatch.lib.moments import parse_moment
from routes.entry.models import RuleSource, Visa, destination_names
from routes.entry.selectors import EffectiveRule, entry_rules_at


class RuleBasisSerializer(serializers.Serializer):
    source_kind = serializers.ChoiceField(RuleSource.choices)
    source_url = serializers.URLField()
    valid_from = serializers.CharField()
    note_en = serializers.CharField(allow_blank=True)
    note_ru = serializers.CharField(allow_blank=True)


class EntryRuleSerializer(serializers.Serializer):
    destination = serializers.CharField()
    destination_name_en = serializers.CharField()
    destination_name_ru = serializers.CharField()
    visa = serializers.ChoiceField(Visa.choices)
    free_days = serializers.IntegerField(allow_null=True)
    period_days = serializers.IntegerField(allow_null=True)
    internal_passport_ok = serializers.BooleanField(allow_null=True)
    schengen_visa_holders_refused = serializers.BooleanField(allow_null=True)
    registration_days = serializers.IntegerField(allow_null=True)
    valid_from = serializers.CharField()
    basis = RuleBasisSerializer(many=True)


def rule_data(rule: EffectiveRule) -> dict:
    name_en, name_ru = destination_names(rule.destination)
    terms = rule.terms
    return {
        "destination": rule.destination,
        "destination_name_en": name_en,
        "destination_name_ru": name_ru,
        "visa": terms.visa,
        "free_days": terms.free_days,
        "period_days": terms.period_days,
        "internal_passport_ok": terms.internal_passport_ok,
        "schengen_visa_holders_refused": terms.schengen_visa_holders_refused,
        "registration_days": terms.registration_days,
        "valid_from": iso_z(rule.valid_from),
        "basis": [
            {
                "source_kind": b.source_kind,
                "source_url": b.source_url,
                "valid_from": iso_z(b.valid_from),
                "note_en": b.note_en,
                "note_ru": b.note_ru,
            }
            for b in rule.basis
        ],
    }


@extend_schema(
    summary="Entry rules for Russian citizens",
    description=(
        "Per destination, the rule in force: visa, visa-free days within a "
        "period, whether the internal passport is enough, refusal even with a "
        "Schengen visa, registration on arrival. A visa table is the floor; "
        "curated rules, each with its source, speak where it is silent. Null "
        "means not known. With `at`, the rules in force at that moment."
    ),
    parameters=[
        OpenApiParameter("at", OpenApiTypes.DATETIME, description="A past moment."),
        OpenApiParameter(
            "destination",
            OpenApiTypes.STR,
            description="Two-letter code(s), comma-separated.",
        ),
    ],
    responses=read_responses(EntryRuleSerializer(many=True)),
)
class EntryRulesView(StrictParamsMixin, APIView):
    permission_classes = [AllowAny]
    extra_query_params = ("at", "destination")

    def get(self, request: Request) -> Response:
        at = None
        if "at" in request.query_params:
            try:
                at = parse_moment(request.query_params["at"])
            except DjangoValidationError as exc:
                raise ValidationError({"at": exc.messages}) from None
        wanted = {
            code.strip().upper()
            for code in request.query_params.get("destination", "").split(",")
            if code.strip()
        }
        rules = entry_rules_at(at, destinations=wanted)
        return Response([rule_data(rule) for rule in rules.values()])

"""GET /api/v1/ways-out/: every way out from one place for one traveller."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils import translation
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
from routes.places.models import Place
from routes.places.selectors import place_by_slug
from routes.waysout.present import reasons_data, ways_out_data
from routes.waysout.profile import (
    Citizenship,
    Document,
    Profile,
    Travel,
    VisaHeld,
    profile_from,
)
from routes.waysout.selectors import crossing_verdicts, ways_out

LANGUAGES = ("en", "ru")
# A traveller's answer changes with every new wait or fare; a minute of sharing
# between identical questions is what a crisis needs. It is private: the query
# names a person's documents.
CACHE_CONTROL = "private, max-age=60"
PROFILE_QUERY = ("citizenship", "document", "visa", "mode", "at", "lang")


def profile_question(
    params: QueryDict,
) -> tuple[Profile, datetime | None, dict[str, list[str]]]:
    """The profile and moment a query asks about, and field messages for what
    it gets wrong (every page and endpoint reads them one way)."""
    profile, errors = profile_from(params)
    at = None
    if (params.get("at") or "").strip():
        try:
            at = parse_moment(params["at"])
        except DjangoValidationError as exc:
            errors["at"] = exc.messages
    return profile, at, errors


def question_from(
    params: QueryDict,
) -> tuple[Place | None, Profile, datetime | None, dict[str, list[str]]]:
    """The place, profile and moment a query asks about, and field messages."""
    profile, at, errors = profile_question(params)
    place = None
    slug = (params.get("from") or "").strip()
    if not slug:
        errors["from"] = [translation.gettext("Choose where you start from.")]
    else:
        place = place_by_slug(slug)
        if place is None:
            errors["from"] = [
                translation.gettext(
                    "Unknown place %(slug)r; /api/v1/places/ lists them."
                )
                % {"slug": slug[:80]}
            ]
    return place, profile, at, errors


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    blocks = serializers.BooleanField()
    source_url = serializers.CharField(allow_blank=True)


class EstimateSerializer(serializers.Serializer):
    hours = serializers.FloatField()
    low_hours = serializers.FloatField()
    high_hours = serializers.FloatField(allow_null=True)
    uncertainty = serializers.ChoiceField(["low", "medium", "high"])
    parts = serializers.ListField(child=serializers.DictField())


class WaySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["land", "flight"])
    crossing = serializers.DictField(allow_null=True)
    flight = serializers.DictField(allow_null=True)
    destination_country = serializers.CharField()
    destination_country_name = serializers.CharField()
    open_to_you = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
    entry_rule = serializers.DictField(allow_null=True)
    status = serializers.DictField(allow_null=True)
    wait = serializers.DictField(allow_null=True)
    fare = serializers.DictField(allow_null=True)
    advisories = serializers.ListField(child=serializers.DictField())
    estimate = EstimateSerializer()


class WaysOutSerializer(serializers.Serializer):
    # "from" is a keyword: the field is declared under another name below.
    profile = serializers.DictField(child=serializers.CharField())
    at = serializers.CharField(allow_null=True)
    generated_at = serializers.CharField()
    data_as_of = serializers.CharField(allow_null=True)
    lang = serializers.ChoiceField(LANGUAGES)
    open_count = serializers.IntegerField()
    ways = WaySerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DictField()
        return fields


def _language(request: Request, errors: dict[str, list[str]]) -> str:
    lang = request.query_params.get("lang") or translation.get_language()
    if lang not in LANGUAGES:
        errors["lang"] = [translation.gettext("Choose en or ru.")]
    return lang


def _choices(values: type) -> str:
    return ", ".join(values.values)


PROFILE_PARAMETERS = [
    OpenApiParameter(
        "citizenship", OpenApiTypes.STR, description=_choices(Citizenship)
    ),
    OpenApiParameter("document", OpenApiTypes.STR, description=_choices(Document)),
    OpenApiParameter("visa", OpenApiTypes.STR, description=_choices(VisaHeld)),
    OpenApiParameter(
        "mode", OpenApiTypes.STR, description=f"{_choices(Travel)}; empty: any"
    ),
    OpenApiParameter("at", OpenApiTypes.DATETIME, description="A past moment."),
    OpenApiParameter("lang", OpenApiTypes.STR, description="en or ru"),
]


@extend_schema(
    summary="Every way out for one traveller",
    description=(
        "From one place (`from`, a slug from /api/v1/places/), every land crossing "
        "and every flight route out, each `open_to_you` or not with `reasons` "
        "(sentences in `lang`), the entry rule, the latest wait, the cheapest fare "
        "and seats seen, the destination's advisories and an estimate of the hours "
        "until across with its bounds; every figure with its source and age. "
        "Sorted by the estimate, the ways open to you first. The profile is used "
        "for this answer only: it is neither stored nor logged."
    ),
    parameters=[
        OpenApiParameter(
            "from",
            OpenApiTypes.STR,
            required=True,
            description="Where the traveller starts: a slug from /api/v1/places/.",
        ),
        *PROFILE_PARAMETERS,
    ],
    responses=read_responses(WaysOutSerializer),
)
class WaysOutView(StrictParamsMixin, APIView):
    permission_classes = [AllowAny]
    extra_query_params = ("from", *PROFILE_QUERY)

    def get(self, request: Request) -> Response:
        place, profile, at, errors = question_from(request.query_params)
        lang = _language(request, errors)
        if errors:
            raise ValidationError(errors)
        answer = ways_out(place=place, profile=profile, at=at)
        response = Response(ways_out_data(answer, lang))
        response["Cache-Control"] = CACHE_CONTROL
        return response


class VerdictSerializer(serializers.Serializer):
    open_to_you = serializers.BooleanField()
    destination_country = serializers.CharField()
    reasons = ReasonSerializer(many=True)


class OpenToMeSerializer(serializers.Serializer):
    profile = serializers.DictField(child=serializers.CharField())
    at = serializers.CharField(allow_null=True)
    lang = serializers.ChoiceField(LANGUAGES)
    crossings = serializers.DictField(child=VerdictSerializer())


@extend_schema(
    summary="Which crossings are open to one traveller",
    description=(
        "Per crossing slug (cargo-only crossings left out): `open_to_you` and the "
        "`reasons` (sentences in `lang`) for the profile, wherever the traveller "
        "starts; the map, its list and /lite/ filter by it. The profile is used "
        "for this answer only: it is neither stored nor logged."
    ),
    parameters=PROFILE_PARAMETERS,
    responses=read_responses(OpenToMeSerializer),
)
class OpenToMeView(StrictParamsMixin, APIView):
    permission_classes = [AllowAny]
    extra_query_params = PROFILE_QUERY

    def get(self, request: Request) -> Response:
        profile, at, errors = profile_question(request.query_params)
        lang = _language(request, errors)
        if errors:
            raise ValidationError(errors)
        verdicts = crossing_verdicts(profile=profile, at=at)
        response = Response(
            {
                "profile": profile.as_params(),
                "at": iso_z(at),
                "lang": lang,
                "crossings": {
                    slug: {
                        "open_to_you": verdict.open_to_you,
                        "destination_country": verdict.destination_country,
                        "reasons": reasons_data(verdict.reasons, lang),
                    }
                    for slug, verdict in verdicts.items()
                },
            }
        )
        response["Cache-Control"] = CACHE_CONTROL
        return response

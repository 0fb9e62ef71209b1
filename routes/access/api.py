"""/api/v1/access-rules/: who may cross where, per crossing and side.

GET is public: the rule in force for each side at a moment. POST records a
rule for partners and staff tools, with the permission a crossing update
needs, through the one write path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exitwatch.lib.api.base import StrictParamsMixin, UTCDateTimeField
from exitwatch.lib.api.schema import error, read_responses
from exitwatch.lib.moments import parse_moment
from routes.access.models import (
    MAX_HOURS_LENGTH,
    SIDE_CHOICES,
    SOURCE_KIND_CHOICES,
    AccessMode,
    CrossingAccessRule,
    VehicleRule,
    Who,
)
from routes.access.selectors import SideAccess, access_at, side_access
from routes.access.services import MAX_NOTE_LENGTH, MAX_URL_LENGTH, access_rule_record
from routes.api.views import CanRecordStatus
from routes.models import BorderCrossing, SourceKind

SIDE_ORDER = {value: i for i, (value, _label) in enumerate(SIDE_CHOICES)}


class AccessRuleSerializer(serializers.Serializer):
    crossing = serializers.SlugField(help_text="The crossing's slug.")
    side = serializers.ChoiceField(SIDE_CHOICES)
    modes = serializers.ListField(
        child=serializers.ChoiceField(AccessMode.choices),
        allow_null=True,
        help_text="Ways a traveller may cross on this side; null: not known.",
    )
    who = serializers.ChoiceField(
        Who.choices,
        allow_blank=True,
        help_text='Which travellers may cross; "": not known.',
    )
    vehicles_refused = serializers.ChoiceField(
        VehicleRule.choices,
        allow_blank=True,
        help_text='Vehicles turned back whoever drives them; "": none known.',
    )
    hours = serializers.CharField(
        allow_blank=True, help_text='Opening hours; "": not known.'
    )
    valid_from = UTCDateTimeField(help_text="When this rule took effect.")
    source_kind = serializers.ChoiceField(SOURCE_KIND_CHOICES)
    source_url = serializers.URLField()
    note_en = serializers.CharField(allow_blank=True)
    note_ru = serializers.CharField(allow_blank=True)


class AccessRuleInputSerializer(serializers.Serializer):
    """One side's whole access from `valid_from`: it supersedes the side's
    earlier rules from that moment."""

    crossing = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=BorderCrossing.objects.all(),
        help_text=gettext_lazy("The crossing's slug."),
    )
    side = serializers.ChoiceField(SIDE_CHOICES)
    valid_from = UTCDateTimeField(
        help_text=gettext_lazy("When the rule took effect (or will).")
    )
    modes = serializers.ListField(
        child=serializers.ChoiceField(AccessMode.choices),
        allow_null=True,
        allow_empty=True,
        max_length=len(AccessMode.values),
        help_text=gettext_lazy(
            "Ways a traveller may cross; [] for none, null when not known."
        ),
    )
    who = serializers.ChoiceField(Who.choices, allow_blank=True)
    vehicles_refused = serializers.ChoiceField(
        VehicleRule.choices, required=False, default=""
    )
    hours = serializers.CharField(
        max_length=MAX_HOURS_LENGTH, allow_blank=True, required=False, default=""
    )
    source_kind = serializers.ChoiceField(SOURCE_KIND_CHOICES, required=False)
    source_url = serializers.URLField(max_length=MAX_URL_LENGTH)
    note_en = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, allow_blank=True, required=False, default=""
    )
    note_ru = serializers.CharField(
        max_length=MAX_NOTE_LENGTH, allow_blank=True, required=False, default=""
    )


def side_data(slug: str, access: SideAccess) -> dict[str, Any]:
    return {
        "crossing": slug,
        "side": access.side,
        "modes": None if access.modes is None else sorted(access.modes),
        "who": access.who,
        "vehicles_refused": access.vehicles_refused,
        "hours": access.hours,
        "valid_from": UTCDateTimeField().to_representation(access.valid_from),
        "source_kind": access.source_kind,
        "source_url": access.source_url,
        "note_en": access.note_en,
        "note_ru": access.note_ru,
    }


def rule_data(rule: CrossingAccessRule, slug: str) -> dict[str, Any]:
    return side_data(slug, side_access(rule))


class AccessRulesView(StrictParamsMixin, APIView):
    extra_query_params = ("at", "crossing")

    def get_permissions(self) -> list[BasePermission]:
        # Reading is public; a write needs what a crossing update needs.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [IsAuthenticated(), CanRecordStatus()]

    @extend_schema(
        summary="Who may cross where",
        description=(
            "Per crossing and side, the access rule in force: the ways a "
            "traveller may cross, which travellers (anyone, only citizens of "
            "Russia and the neighbour, nobody), vehicles turned back, hours, "
            "each with the date it took effect and its source. A rule states "
            "the side's whole access from `valid_from`. Null or blank: not "
            "known. A side with no rule yet is left out. With `at`, the rules "
            "in force at that moment."
        ),
        parameters=[
            OpenApiParameter("at", OpenApiTypes.DATETIME, description="A past moment."),
            OpenApiParameter(
                "crossing",
                OpenApiTypes.STR,
                description="Crossing slug(s), comma-separated.",
            ),
        ],
        responses=read_responses(AccessRuleSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        at = None
        if "at" in request.query_params:
            try:
                at = parse_moment(request.query_params["at"])
            except DjangoValidationError as exc:
                errors["at"] = exc.messages
        wanted = sorted(
            {
                slug.strip()
                for slug in request.query_params.get("crossing", "").split(",")
                if slug.strip()
            }
        )
        slugs: dict[int, str] = {}
        if wanted:
            slugs = dict(
                BorderCrossing.objects.filter(slug__in=wanted).values_list("pk", "slug")
            )
            unknown = sorted(set(wanted) - set(slugs.values()))
            if unknown:
                errors["crossing"] = [
                    _("No crossing %(slug)r.") % {"slug": slug} for slug in unknown
                ]
        if errors:
            raise ValidationError(errors)
        rules = access_at(at, crossings=list(slugs))
        if not wanted:
            slugs = dict(
                BorderCrossing.objects.filter(pk__in=list(rules)).values_list(
                    "pk", "slug"
                )
            )
        answer = [
            side_data(slugs[crossing], access)
            for crossing, sides in rules.items()
            for access in sides.values()
        ]
        answer.sort(key=lambda row: (row["crossing"], SIDE_ORDER[row["side"]]))
        return Response(answer)

    @extend_schema(
        summary="Record who may cross on one side of a crossing",
        description=(
            "For partners and staff tools (token auth, editor permission). The "
            "rule states the side's whole access from `valid_from` and "
            "supersedes its earlier rules from then; nothing is ever edited. "
            "The same rule from the same source and moment is recorded once."
        ),
        request=AccessRuleInputSerializer,
        responses={
            201: AccessRuleSerializer,
            **error(400, "Invalid input: messages by field."),
            **error(401, "No or bad token."),
            **error(403, "Not an editor."),
        },
    )
    def post(self, request: Request) -> Response:
        payload = AccessRuleInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        default_kind = SourceKind.STAFF if request.user.is_staff else SourceKind.PARTNER
        try:
            rule, _created = access_rule_record(
                crossing=data["crossing"],
                side=data["side"],
                valid_from=data["valid_from"],
                modes=data["modes"],
                who=data["who"],
                vehicles_refused=data["vehicles_refused"],
                hours=data["hours"],
                source_kind=data.get("source_kind", default_kind),
                source_url=data["source_url"],
                note_en=data["note_en"],
                note_ru=data["note_ru"],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response(
            rule_data(rule, data["crossing"].slug), status=status.HTTP_201_CREATED
        )

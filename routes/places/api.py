"""GET /api/v1/places/: the places a traveller may start from."""

from __future__ import annotations

from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exitwatch.lib.api.base import StrictParamsMixin
from exitwatch.lib.api.schema import read_responses
from routes.places.models import Place
from routes.places.selectors import places_all

# Places change only when the seed is loaded; an hour-old copy in a browser or
# proxy is as good as a new one.
MAX_AGE_SECONDS = 3600
MAX_QUERY_LENGTH = 50


class PlaceSerializer(serializers.ModelSerializer):
    airports = serializers.ListField(
        child=serializers.CharField(),
        help_text="IATA codes of the seeded airports within 100 km, nearest first.",
    )

    class Meta:
        model = Place
        fields = [
            "slug",
            "name_en",
            "name_ru",
            "region_en",
            "region_ru",
            "latitude",
            "longitude",
            "kind",
            "airports",
            "source_url",
        ]


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, min_length=1, max_length=MAX_QUERY_LENGTH)


def _folded(text: str) -> str:
    # "орел" finds Орёл and "rostov on" Rostov-on-Don.
    return text.casefold().replace("ё", "е").replace("-", " ")


def places_named(places: list[Place], prefix: str) -> list[Place]:
    """The places whose English or Russian name starts with `prefix`, ignoring
    case, ё/е and hyphens."""
    wanted = _folded(prefix)
    return [
        place
        for place in places
        if _folded(place.name_en).startswith(wanted)
        or _folded(place.name_ru).startswith(wanted)
    ]


@extend_schema(
    summary="Places a traveller may start from",
    description=(
        "Every regional capital within reach of a land border, and every city "
        "with a seeded international airport: where it is (with the source of "
        "the coordinates), its region, and the seeded airports within 100 km, "
        "nearest first. Ordered by English name."
    ),
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description=(
                "Only places whose English or Russian name starts with this "
                f"(1 to {MAX_QUERY_LENGTH} characters, any case)."
            ),
        ),
    ],
    responses=read_responses(PlaceSerializer(many=True)),
)
class PlacesView(StrictParamsMixin, APIView):
    permission_classes = [AllowAny]
    extra_query_params = ("q",)

    def get(self, request: Request) -> Response:
        # A plain dict: DRF reads an empty form field as absent, and `?q=` is
        # a bad query, not a request for everything.
        query = PlaceQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        places = places_all()
        if "q" in query.validated_data:
            places = places_named(places, query.validated_data["q"])
        response = Response(PlaceSerializer(places, many=True).data)
        patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
        return response

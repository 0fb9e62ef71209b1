"""REST API for traveller reports under /api/v1/reports/.

- GET  form-token/              a fresh single-use form token (anonymous posts need one)
- POST /                        submit a report (JSON only), anonymous or with
                                `Authorization: Reporter <token>` (published at once)
- GET  /?crossing=<slug>        approved reports of the last 48 h, newest first
- GET  crossings/<slug>/        a crossing's waits, each labelled with its basis,
                                and its recent approved reports
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from exitwatch.lib.api.base import UTCDateTimeField
from exitwatch.lib.api.parsers import JSONParser
from exitwatch.lib.api.schema import error
from exitwatch.lib.coarse_time import floor_time
from exitwatch.lib.formatting import iso_z
from routes.models import MAX_WAIT_MINUTES, BorderCrossing, Mode
from routes.reports.limits import RateLimited, limit_submission, too_many_message
from routes.reports.models import (
    MAX_QUEUE_POSITION,
    MAX_REPORT_NOTE_LENGTH,
    REPORT_FIELDS,
    REPORTED_STATUSES,
    Direction,
    TravellerReport,
    TrustedReporterToken,
)
from routes.reports.selectors import reports_published
from routes.reports.services import report_accept, report_validate
from routes.reports.tokens import (
    FormTokenError,
    form_token_check,
    form_token_issue,
    trusted_token_lookup,
)
from routes.waits import crossing_wait_figures


class ReporterTokenAuthentication(BaseAuthentication):
    """`Authorization: Reporter <token>`: a trusted volunteer; request.auth is the
    TrustedReporterToken (there is no user behind it)."""

    keyword = b"reporter"

    def authenticate(self, request: Request) -> tuple[Any, TrustedReporterToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Reporter <token>.")
            )
        token = trusted_token_lookup(parts[1].decode("ascii", errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This reporter token is unknown or has been revoked.")
            )
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return "Reporter"


class ReporterTokenScheme(OpenApiAuthenticationExtension):
    target_class = ReporterTokenAuthentication
    name = "reporterToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Trusted volunteers: `Reporter <token>`; reports are "
            "published without moderation. Others send no Authorization header.",
        }


class ReportInputSerializer(serializers.Serializer):
    crossing = serializers.SlugRelatedField(
        slug_field="slug", queryset=BorderCrossing.objects.all()
    )
    direction = serializers.ChoiceField(
        choices=Direction.choices, default=Direction.LEAVING
    )
    mode = serializers.ChoiceField(choices=Mode.choices)
    status_seen = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in REPORTED_STATUSES]
    )
    wait_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_WAIT_MINUTES, required=False, allow_null=True
    )
    queue_position = serializers.IntegerField(
        min_value=0, max_value=MAX_QUEUE_POSITION, required=False, allow_null=True
    )
    observed_at = UTCDateTimeField(required=False, allow_null=True)
    note = serializers.CharField(
        max_length=MAX_REPORT_NOTE_LENGTH, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")
    form_token = serializers.CharField(required=False, allow_blank=True, default="")
    website = serializers.CharField(required=False, allow_blank=True, default="")

    def _trusted(self) -> bool:
        return self.context.get("trusted_token") is not None

    def validate_form_token(self, value: str) -> str:
        if not self._trusted():
            try:
                self.context["nonce"] = form_token_check(value)
            except FormTokenError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return value

    def validate_website(self, value: str) -> str:
        if value and not self._trusted():
            raise serializers.ValidationError(_("Leave this field empty."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fields = self.report_fields(attrs)
        fields.pop("crossing")
        errors = report_validate(**fields)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def report_fields(attrs: dict[str, Any]) -> dict[str, Any]:
        return {
            "crossing": attrs["crossing"],
            "direction": attrs["direction"],
            "mode": attrs["mode"],
            "status_seen": attrs["status_seen"],
            "wait_minutes": attrs.get("wait_minutes"),
            "queue_position": attrs.get("queue_position"),
            "observed_at": attrs.get("observed_at") or timezone.now(),
            "note": attrs.get("note", ""),
            "language": attrs["language"],
        }


class ReportPublicSerializer(serializers.ModelSerializer):
    """A report as anyone may see it: no moderation details, time to 5 minutes,
    and its random public id, never the sequential one."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    crossing = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    observed_at = serializers.SerializerMethodField()
    source_kind = serializers.SerializerMethodField()
    trusted = serializers.SerializerMethodField()

    class Meta:
        model = TravellerReport
        fields = [
            "id",
            "crossing",
            *REPORT_FIELDS,
            "note",
            "language",
            "state",
            "verified",
            "trusted",
            "source_kind",
        ]

    def get_observed_at(self, obj: TravellerReport) -> str:
        return iso_z(floor_time(obj.observed_at))

    def get_source_kind(self, obj: TravellerReport) -> str:
        return "traveller"

    def get_trusted(self, obj: TravellerReport) -> bool:
        return obj.published_with_id is not None


class WaitFigureSerializer(serializers.Serializer):
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    minutes = serializers.IntegerField()
    source_kind = serializers.CharField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    last_observed_at = serializers.CharField(allow_null=True)
    label = serializers.CharField(
        help_text="e.g. “6 h 10 min (median of 4 traveller reports, last 40 min ago)”"
    )


TOO_MANY = inline_serializer(
    "TooManyReports",
    fields={
        "detail": serializers.CharField(),
        "retry_after": serializers.IntegerField(),
    },
)


def too_many(exc: RateLimited) -> Response:
    return Response(
        {"detail": too_many_message(exc), "retry_after": exc.retry_after},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(exc.retry_after)},
    )


# Submitting has limits of its own (per client, per crossing, per trusted token:
# routes.reports.limits); the API-wide throttle on top would refuse the form
# token a reporter needs before their own limit says so.
NO_THROTTLES: list[type] = []


class ReportsView(APIView):
    authentication_classes = [ReporterTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = NO_THROTTLES
    parser_classes = [JSONParser]  # a cross-site HTML form cannot send JSON

    def get_throttles(self) -> list[BaseThrottle]:
        # Only submitting has limits of its own; reading the published reports
        # is a read like any other, under the API-wide throttle.
        if self.request.method in ("GET", "HEAD"):
            return [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]
        return super().get_throttles()

    @extend_schema(
        summary="Approved traveller reports of the last 48 hours",
        parameters=[OpenApiParameter("crossing", str, description="crossing slug")],
        responses={
            200: inline_serializer(
                "PublishedReports",
                fields={"results": ReportPublicSerializer(many=True)},
            ),
            **error(404, "No crossing with that slug."),
        },
    )
    def get(self, request: Request) -> Response:
        crossing = None
        if slug := request.query_params.get("crossing"):
            # Not a slug (a NUL byte would make PostgreSQL refuse the query): no
            # such crossing, rather than a server error.
            if not slug_re.fullmatch(slug):
                raise exceptions.NotFound(_("No crossing with that slug."))
            crossing = get_object_or_404(BorderCrossing, slug=slug)
        reports = reports_published(crossing=crossing)
        return Response({"results": ReportPublicSerializer(reports, many=True).data})

    @extend_schema(
        summary="Submit a traveller report",
        request=ReportInputSerializer,
        responses={
            201: ReportPublicSerializer,
            200: OpenApiResponse(
                ReportPublicSerializer,
                description="This sender sent this same report a moment ago: "
                "that report, and nothing new stored.",
            ),
            **error(400, "Invalid input: messages by field."),
            429: TOO_MANY,
        },
        description="Anonymous: include a `form_token` from form-token/ (single "
        "use) and leave `website` empty. Times need a UTC offset. The same "
        "report sent again by the same sender within the client window (a retry) "
        "answers 200 with the first report and stores nothing.",
    )
    def post(self, request: Request) -> Response:
        trusted_token = request.auth
        try:
            client = limit_submission(request._request, trusted_token)
        except RateLimited as exc:
            return too_many(exc)
        serializer = ReportInputSerializer(
            data=request.data, context={"trusted_token": trusted_token}
        )
        serializer.is_valid(raise_exception=True)
        try:
            report, created = report_accept(
                fields=serializer.report_fields(serializer.validated_data),
                form_token_nonce=serializer.context.get("nonce"),
                trusted_token=trusted_token,
                client=client,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        # The same report sent again (a retry, a form sent twice): the first
        # one, unchanged, and nothing new stored.
        return Response(
            ReportPublicSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class FormTokenView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = NO_THROTTLES

    @extend_schema(
        summary="Get a single-use form token for one report",
        responses=inline_serializer(
            "FormToken",
            fields={
                "form_token": serializers.CharField(),
                "expires_in": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        response = Response(
            {
                "form_token": form_token_issue(),
                "expires_in": settings.REPORT_FORM_TOKEN_MAX_AGE,
            }
        )
        add_never_cache_headers(response)
        return response


class CrossingReportsView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A crossing's labelled waits and its recent traveller reports",
        responses={
            **error(404, "No crossing with that slug."),
            200: inline_serializer(
                "CrossingReports",
                fields={
                    "crossing": inline_serializer(
                        "CrossingReportsCrossing",
                        fields={
                            "slug": serializers.CharField(),
                            "name": serializers.CharField(),
                            "status": serializers.CharField(),
                            "last_observed_at": serializers.DateTimeField(
                                allow_null=True
                            ),
                            "last_source_kind": serializers.CharField(allow_null=True),
                        },
                    ),
                    "waits": WaitFigureSerializer(many=True),
                    "reports": ReportPublicSerializer(many=True),
                },
            ),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        crossing = get_object_or_404(BorderCrossing, slug=slug)
        now = timezone.now()
        return Response(
            {
                "crossing": {
                    "slug": crossing.slug,
                    "name": crossing.name,
                    "status": crossing.status,
                    "last_observed_at": crossing.last_observed_at,
                    "last_source_kind": crossing.last_source_kind or None,
                },
                "waits": [
                    asdict(f) for f in crossing_wait_figures(crossing=crossing, now=now)
                ],
                "reports": ReportPublicSerializer(
                    reports_published(crossing=crossing, now=now), many=True
                ).data,
            }
        )

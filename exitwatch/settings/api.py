"""The public API v1: Django REST framework and its OpenAPI schema."""

from exitwatch.lib.env import env_int, env_str
from exitwatch.settings.core import DEBUG

# --- API ------------------------------------------------------------------------------
# Proxies appending to X-Forwarded-For in front of Django; 0 trusts only the socket.
# Shared by the throttles, report limits and admin lockout (exitwatch.lib.client_ip).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
REST_FRAMEWORK = {
    # drf-spectacular's, plus a 429 on every throttled operation.
    "DEFAULT_SCHEMA_CLASS": "exitwatch.lib.api.schema.AutoSchema",
    # DRF's, but a body nested past any input's depth is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "exitwatch.lib.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    # The HTML browsable API is a development aid, never a public page.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": (
        "exitwatch.lib.api.base.StrictContentNegotiation"
    ),
    "DEFAULT_PAGINATION_CLASS": "exitwatch.lib.api.base.CursorPage",
    # The client address as exitwatch.lib.client_ip takes it, hashed in the keys.
    "DEFAULT_THROTTLE_CLASSES": [
        "exitwatch.lib.throttling.AnonRateThrottle",
        "exitwatch.lib.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "user": env_str("API_USER_RATE", "1200/minute"),
    },
    # DRF's default (None) would trust the raw header, so a spoofed one could
    # dodge the throttle.
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "exitwatch.lib.api.base.exception_handler",
    # Errors of a list input are keyed by the bad items' indexes (DRF 3.20 default).
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ExitWatch API",
    "DESCRIPTION": (
        "Border crossings out of Russia with their status and queues, exit routes, "
        "flights with seats and prices, and government travel advisories. "
        "Anonymous clients may read (throttled); writes need a token with the "
        "matching permission."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "routes.models.Status",
        "SourceKindEnum": "routes.models.SourceKind",
        "AvailabilityEnum": "routes.flights.models.Availability",
        "ModeEnum": "routes.models.Mode",
        # Access rules share field names with crossings (side, modes,
        # source_kind) but not their choices: named apart, so neither is renamed.
        "SideEnum": "routes.models.Side",
        "AccessSideEnum": "routes.access.models.SIDE_CHOICES",
        "AccessModeEnum": "routes.access.models.AccessMode",
        "AccessSourceKindEnum": "routes.access.models.SOURCE_KIND_CHOICES",
        "WhoEnum": "routes.access.models.Who",
        "VehicleRuleEnum": "routes.access.models.VehicleRule",
        # Webhook filters and delivery logs name event kinds in several fields.
        "EventKindEnum": "alerts.models.EventKind",
        "DeliveryStateEnum": "alerts.models.DeliveryState",
        "PauseReasonEnum": "alerts.models.PauseReason",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "routes.mapdoc.schema.add_map_snapshot",
        "exitwatch.lib.api.schema.unwrap_paged_formats",
    ],
}

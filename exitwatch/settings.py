"""ExitWatch settings, read from the environment.

Development defaults need nothing installed: no DATABASE_URL means SQLite, no
REDIS_URL means a local-memory cache and Celery tasks run in-process. A bad value
stops start-up with one line naming the variable (see exitwatch.boot). Every
variable is described in docs/configuration.md; docs/security.md says why the
security settings are what they are.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.csp_origin import csp_origin
from exitwatch.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)

# Only debug has a fallback; production refuses a missing, short or "insecure" key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (
    "insecure-development-key-never-used-in-production" if DEBUG else ""
)
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production (50+ random characters)"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Where the site is seen from outside, for links in e-mails (no request to ask).
# Without it: the development server in debug, else the first allowed host.
_first_host = ALLOWED_HOSTS[0]
SITE_URL = env_str("SITE_URL").rstrip("/") or (
    "http://localhost:8000"
    if DEBUG
    else ""
    if _first_host.startswith((".", "*"))
    else f"https://{_first_host}"
)
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set (e.g. https://exitwatch.example.org) when the "
        "first of DJANGO_ALLOWED_HOSTS is a wildcard"
    )
if not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} must be an http:// or https:// address"
    )

ROOT_URLCONF = "exitwatch.urls"
WSGI_APPLICATION = "exitwatch.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now
# nginx refuses bigger bodies first (deploy/nginx); the same limit without it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Read-only switch: every write answers 503 with a banner; reads work.
READ_ONLY = env_bool("DJANGO_READ_ONLY", False)

# --- HTTPS, cookies and headers -------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if SESSION_COOKIE_SECURE:
        # __Host-: the browser refuses the cookie unless Secure, Path=/ and no
        # Domain, so a sibling subdomain cannot plant or overwrite it.
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
        LANGUAGE_COOKIE_SECURE = True
# Probes are answered over plain HTTP by address (exitwatch.lib.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Apps, middleware, templates ------------------------------------------------------
INSTALLED_APPS = [
    # Like SimpleAdminConfig, no autodiscovery, so django-leaflet's admin module
    # (which imports GDAL) is never loaded; our admin modules are imported in
    # urls.py. The site is 2FA-aware (exitwatch.apps).
    "exitwatch.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_countries",
    "leaflet",
    "exitwatch.lib",
    "routes",
    "routes.flights",
    "routes.reports",
    "routes.mapdoc",
    "advisories",
    "drf_spectacular_sidecar",  # Swagger UI/Redoc served from here, no CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "exitwatch.lib.health.HealthCheckMiddleware",
    "exitwatch.lib.read_only.ReadOnlyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The map snapshot is answered here, like a static file.
    "routes.mapdoc.middleware.MapSnapshotMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exitwatch.lib.read_only.read_only",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid URL: {exc}") from None
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, with a flush that the append-only history allows.
    _database["ENGINE"] = "exitwatch.lib.sqlite"
elif _database["ENGINE"].endswith("postgresql"):
    # A PostgreSQL that does not answer fails fast instead of hanging workers.
    _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASES = {"default": _database}

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "exitwatch")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis errors are caught in one place, with short timeouts: the site
            # answers from the database while Redis is away.
            "BACKEND": "exitwatch.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.5,
                "retry_after": env_int("CACHE_RETRY_AFTER_SECONDS", 2, minimum=1),
                "fallback_timeout": 5,
                "on_recovery": ["exitwatch.lib.snapshot.snapshot_bump"],
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "exitwatch",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 24 * 3600,
        }
    }

# --- Languages, time, static files ----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, pre-compressed files need `collectstatic`; tests and DEBUG serve sources.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if STATIC_MANIFEST else 0

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Django attaches the request (with the client address and user agent) to its
    # 4xx/5xx and CSRF log records; this drops it for the report pages and API.
    "filters": {"reporter_privacy": {"()": "routes.reports.privacy.ReporterLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["reporter_privacy"]},
        "django.security.csrf": {"filters": ["reporter_privacy"]},
    },
}

# --- API ------------------------------------------------------------------------------
# Proxies appending to X-Forwarded-For in front of Django; 0 trusts only the socket.
# Shared by the throttles, report limits and admin lockout (exitwatch.lib.client_ip).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
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
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "routes.mapdoc.schema.add_map_snapshot",
        "exitwatch.lib.api.schema.unwrap_paged_formats",
    ],
}

# --- Celery and beat (background refresh) ---------------------------------------------
# Without REDIS_URL tasks run in-process, so a newcomer needs no broker. Why the
# delivery settings are what they are: docs/background-refresh.md.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # tasks report through the rows they write
CELERY_RESULT_EXPIRES = None  # no result backend, so no nightly clean-up task
CELERY_TIMEZONE = TIME_ZONE
# A task whose worker dies is delivered again; exitwatch.lib.jobs caps redeliveries.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=5)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - max(
    2, CELERY_TASK_TIME_LIMIT // 10
)
# Redis redelivers what is not acknowledged within this: shorter than a task, and a
# slow task would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} must be longer than "
        f"CELERY_TASK_TIME_LIMIT={CELERY_TASK_TIME_LIMIT} seconds"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for messages abandoned by a dead worker every tenth of the timeout.
    "unacked_restore_interval": max(1, min(60, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing while Redis is down fails within seconds with a clear error.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Each job expires before its next run: workers back from an outage do not replay
# every missed run.
EXITWATCH_ADVISORY_REFRESH_EXPIRES = 25 * 60
CELERY_BEAT_SCHEDULE = {
    "refresh-advisories": {
        "task": "advisories.tasks.refresh_advisories",
        "schedule": 30 * 60,
        "options": {"expires": EXITWATCH_ADVISORY_REFRESH_EXPIRES},
    },
    "refresh-flights": {
        "task": "routes.flights.tasks.refresh_flights",
        "schedule": 15 * 60,
        "options": {"expires": 12 * 60},
    },
    "mark-stale": {
        "task": "routes.mapdoc.tasks.mark_stale",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # Traveller reports past their retention (REPORT_RETENTION_DAYS) go daily.
    "purge-old-reports": {
        "task": "routes.reports.tasks.purge_old_reports",
        "schedule": 24 * 3600,
        "options": {"expires": 23 * 3600},
    },
    # Tasks that must survive a broker outage go through the outbox (outbox/);
    # beat sends what is left every 15 s once Redis is back.
    "outbox-drain": {
        "task": "outbox.drain",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    # The pending reports are the queue: this sweep is what tells moderators,
    # including of reports held back by REPORT_NOTIFY_INTERVAL.
    "notify-moderators": {
        "task": "routes.reports.tasks.notify_moderators",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
# Flight prices: the Travelpayouts (Aviasales) Data API; off without a token.
TRAVELPAYOUTS_TOKEN = env_str("TRAVELPAYOUTS_TOKEN")
TRAVELPAYOUTS_URL = env_str(
    "TRAVELPAYOUTS_URL", "https://api.travelpayouts.com/aviasales/v3/prices_for_dates"
)

# --- E-mail ---------------------------------------------------------------------------
# Only development without EMAIL_HOST prints mail: in production a console "sent"
# would mark reports as told of that no moderator saw.
_email_host = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not _email_host
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = _email_host or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
# A mail server that does not answer must not hold a worker until its time limit.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
if EMAIL_BACKEND.endswith("filebased.EmailBackend") and not EMAIL_FILE_PATH:
    raise ImproperlyConfigured("EMAIL_FILE_PATH must be set for the file backend")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f"ExitWatch <noreply@{urlsplit(SITE_URL).hostname}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Admin and login ------------------------------------------------------------------
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/", ADMIN_PATH):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_PATH={ADMIN_PATH!r} must be a non-empty path of letters, "
        "digits, '-' and '_' (e.g. staff-7f3a/)"
    )
ADMIN_REQUIRE_OTP = env_bool("DJANGO_ADMIN_REQUIRE_OTP", False)
OTP_TOTP_ISSUER = "ExitWatch"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
# The pair, not either alone: a guesser from one address locks only their own
# attempts at that username; the real user from their own address still gets in.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "exitwatch.lib.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# Failures are kept (they drive the lockout); successful logins are not logged with
# their address and browser: staff of this site are at risk too.
AXES_DISABLE_ACCESS_LOG = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 2 * 3600, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # so the age above is an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Map ------------------------------------------------------------------------------
# The page reads LEAFLET_CONFIG through django-leaflet's app_settings: its template
# tags emit inline script, which the Content-Security-Policy forbids.
_tiles_url = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    " contributors",
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (55.0, 60.0),
    "DEFAULT_ZOOM": 3,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    # What the map fits before data arrives: Russia's western and southern borders,
    # from Kaliningrad and the Kola peninsula to the Caucasus and the Amur.
    "SPATIAL_EXTENT": (19.0, 40.5, 135.5, 70.5),
    "TILES": [
        (
            "OpenStreetMap",
            _tiles_url,
            {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 18},
        )
    ],
    "ATTRIBUTION_PREFIX": "ExitWatch",
}
MAP_SNAPSHOT_RECHECK_MS = env_int("MAP_SNAPSHOT_RECHECK_MS", 20)
CROSSING_STALE_AFTER_MINUTES = env_int("CROSSING_STALE_AFTER_MINUTES", 360, minimum=1)

# --- Content-Security-Policy ----------------------------------------------------------
# Nothing inline, nothing from elsewhere except the map tiles.
TILE_ORIGIN = csp_origin(_tiles_url, variable="MAP_TILES_URL")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([TILE_ORIGIN] if TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Traveller reports ----------------------------------------------------------------
REPORT_RECENT_MINUTES = env_int("REPORT_RECENT_MINUTES", 180, minimum=1)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 30, minimum=1)
REPORT_FORM_TOKEN_MAX_AGE = env_int("REPORT_FORM_TOKEN_MAX_AGE", 3600, minimum=60)
# Accepted reports per window; mobile networks put many people behind one
# address (CGNAT), so the per-client limit is not tiny.
REPORT_CLIENT_LIMIT = env_int("REPORT_CLIENT_LIMIT", 10, minimum=1)
REPORT_CLIENT_WINDOW = env_int("REPORT_CLIENT_WINDOW", 600, minimum=1)
REPORT_CROSSING_LIMIT = env_int("REPORT_CROSSING_LIMIT", 60, minimum=1)
REPORT_CROSSING_WINDOW = env_int("REPORT_CROSSING_WINDOW", 600, minimum=1)
REPORT_TRUSTED_LIMIT = env_int("REPORT_TRUSTED_LIMIT", 120, minimum=1)
REPORT_TRUSTED_WINDOW = env_int("REPORT_TRUSTED_WINDOW", 600, minimum=1)
# Moderators hear of pending reports by at most one e-mail per interval, however
# many arrive (routes.reports.notify): a crisis must not bury them in mail.
REPORT_NOTIFY_INTERVAL = env_int("REPORT_NOTIFY_INTERVAL", 600, minimum=300)
REPORT_MODERATOR_EMAILS = env_list("REPORT_MODERATOR_EMAILS")
for _address in REPORT_MODERATOR_EMAILS:
    if not re.fullmatch(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+", _address):
        raise ImproperlyConfigured(
            f"REPORT_MODERATOR_EMAILS: {_address!r} is not an e-mail address"
        )
REPORT_NOTIFY_LANGUAGE = env_str("REPORT_NOTIFY_LANGUAGE", LANGUAGE_CODE)
if REPORT_NOTIFY_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"REPORT_NOTIFY_LANGUAGE={REPORT_NOTIFY_LANGUAGE!r} must be one of "
        + ", ".join(dict(LANGUAGES))
    )

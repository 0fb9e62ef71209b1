"""Core settings: secrets and hosts, HTTPS, apps and middleware, the database,
the cache, languages and static files, logging."""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from exitwatch.lib.env import env_bool, env_int, env_list, env_str
from exitwatch.lib.onion import is_onion_address

BASE_DIR = Path(__file__).resolve().parents[2]

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

# Other addresses: where people find the site when its name is blocked. Every page
# names them (exitwatch.lib.reach). The onion service is answered as a host of its
# own, over plain HTTP (exitwatch.lib.onion); docs/operations.md says how to find
# its name. Mirrors are base URLs of copies elsewhere, listed as they are given.
ONION_ADDRESS = env_str("ONION_ADDRESS").lower()
if ONION_ADDRESS and not is_onion_address(ONION_ADDRESS):
    raise ImproperlyConfigured(
        f"ONION_ADDRESS={ONION_ADDRESS!r} is not a v3 onion host name (56 letters "
        "and digits, then .onion, no http://), or has a typo: copy it from tor's "
        "hostname file"
    )
MIRRORS = env_list("MIRRORS")
for _mirror in MIRRORS:
    try:
        URLValidator(schemes=["http", "https"])(_mirror)
    except ValidationError:
        raise ImproperlyConfigured(
            f"MIRRORS: {_mirror!r} is not an http:// or https:// address"
        ) from None

_hosts = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not _hosts:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off"
    )
ALLOWED_HOSTS = [*_hosts, *([ONION_ADDRESS] if ONION_ADDRESS else [])]
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
# Django's deployment checks look for its SecurityMiddleware by name; ours is a
# subclass of it (exitwatch.lib.onion), so they would say it is missing and skip
# the rest. tests/exitwatch/test_deploy_check.py asserts the values they check.
SILENCED_SYSTEM_CHECKS = ["security.W001"]
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
    # No autodiscovery: django-leaflet's admin imports GDAL. Our apps' admin
    # modules are found by exitwatch.apps; the site is 2FA-aware.
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
    "routes.entry",
    "routes.access",
    "routes.reports",
    "routes.mapdoc",
    "routes.checkpoints",
    "routes.places",
    "advisories",
    "drf_spectacular_sidecar",  # Swagger UI/Redoc served from here, no CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "outbox",
    "alerts",
    "alerts.telegram",
    "mirror",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "exitwatch.lib.logs.RequestIdMiddleware",
    # /metrics for Prometheus (with a token), then requests by view and status:
    # above the middleware that answer before any view (probes, the map snapshot).
    "exitwatch.lib.metrics.MetricsMiddleware",
    "exitwatch.lib.metrics.ViewMetricsMiddleware",
    # Django's, letting the onion host through over plain HTTP (exitwatch.lib.onion).
    "exitwatch.lib.onion.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside every layer that can answer an API request with an error page.
    "exitwatch.lib.api.errors.ApiJsonErrorsMiddleware",
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
                "exitwatch.lib.reach.reach",
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
# Production writes one JSON object per line (a log collector reads it), each with
# the request id and never a client's address (exitwatch.lib.logs); development
# writes plain lines.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be json or plain")
LOGGING_CONFIG = "exitwatch.lib.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "exitwatch.lib.logs.JsonLogFormatter"},
    },
    # Django attaches the request (with the client address and user agent) to its
    # 4xx/5xx and CSRF log records; this drops it for the report pages and API.
    "filters": {
        "reporter_privacy": {"()": "routes.reports.privacy.ReporterLogFilter"},
        "request_id": {"()": "exitwatch.lib.logs.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The id first: it is read from the request the other filter drops.
        "django.request": {"filters": ["request_id", "reporter_privacy"]},
        "django.security.csrf": {"filters": ["request_id", "reporter_privacy"]},
    },
}

# --- Metrics --------------------------------------------------------------------------
# /metrics answers only with this bearer token (404 without one); nginx never
# passes it on. docs/operations.md says what is measured and how to scrape it.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be 32 or more random characters")
# A Celery worker serves its task and source counters on this port (0: not at all).
METRICS_WORKER_PORT = env_int("METRICS_WORKER_PORT", 0, minimum=0)

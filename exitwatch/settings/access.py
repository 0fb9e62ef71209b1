"""Staff access and the browser's rules: e-mail, the admin and login, the map's
tiles, the Content-Security-Policy. docs/security.md says why."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.csp_origin import csp_origin
from exitwatch.lib.env import env_bool, env_int, env_str
from exitwatch.settings.core import DEBUG, SITE_URL

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
# On in production unless turned off: a staff password alone (phished, reused,
# guessed) must not open the admin. Development may log in without a device.
ADMIN_REQUIRE_OTP = env_bool("DJANGO_ADMIN_REQUIRE_OTP", not DEBUG)
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
# ...and a username's failures from all addresses together, against a limit of
# their own, so a guesser with many addresses is stopped too (the handler adds it).
LOGIN_USERNAME_FAILURE_LIMIT = env_int(
    "DJANGO_LOGIN_USERNAME_FAILURE_LIMIT", 20, minimum=1
)
if LOGIN_USERNAME_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"DJANGO_LOGIN_USERNAME_FAILURE_LIMIT={LOGIN_USERNAME_FAILURE_LIMIT} must be "
        f"at least DJANGO_LOGIN_FAILURE_LIMIT={AXES_FAILURE_LIMIT}"
    )
AXES_HANDLER = "exitwatch.lib.login_lockout.LoginLockoutHandler"
# An IPv6 client's whole /64 is one address here, as for the other limits.
AXES_CLIENT_IP_CALLABLE = "exitwatch.lib.login_lockout.lockout_address"
AXES_RESET_ON_SUCCESS = True
# Failures are kept (they drive the lockout); successful logins are not logged with
# their address and browser: staff of this site are at risk too.
AXES_DISABLE_ACCESS_LOG = True
# Nor is the browser kept with a failure, or written to the log for any login:
# the handler (on exitwatch.lib.axes_handler) blanks it, and the log lines name
# only the path (username and address masked), not everything django-axes knows
# (its verbose default).
AXES_VERBOSE = False
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
        # The offline worker, /sw.js (default-src would allow it too; said plainly).
        "worker-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

"""Traveller reports: what counts as recent, retention, limits, moderators' notices."""

import re

from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.env import env_int, env_list, env_str
from exitwatch.settings.core import LANGUAGE_CODE, LANGUAGES

# --- Traveller reports ----------------------------------------------------------------
REPORT_RECENT_MINUTES = env_int("REPORT_RECENT_MINUTES", 180, minimum=1)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 30, minimum=1)
REPORT_FORM_TOKEN_MAX_AGE = env_int("REPORT_FORM_TOKEN_MAX_AGE", 3600, minimum=60)
# Accepted reports per window; mobile networks put many people behind one
# address (CGNAT), so the per-client limit is not tiny.
REPORT_CLIENT_LIMIT = env_int("REPORT_CLIENT_LIMIT", 10, minimum=1)
REPORT_CLIENT_WINDOW = env_int("REPORT_CLIENT_WINDOW", 600, minimum=1)
# Reports per crossing per window before a sender's third and later ones there
# are held back at the end of the moderation queue (never refused: see
# routes.reports.limits.crossing_flooded).
REPORT_CROSSING_LIMIT = env_int("REPORT_CROSSING_LIMIT", 30, minimum=1)
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

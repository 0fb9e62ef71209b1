"""Form tokens for anonymous reports, the key that makes sending one report
twice harmless, and trusted reporters' tokens.

A form token is a signed random nonce with a timestamp. It proves the report
comes from a form or API client that fetched one from us recently (DRF skips
CSRF checks for anonymous requests, so without it any site could make its
visitors' browsers post reports). It carries nothing about the client, and each
one is accepted once: its nonce is remembered in the cache until it expires.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from routes.reports.models import TrustedReporterToken

FORM_TOKEN_SALT = "routes.reports.form-token"  # nosec B105: a salt name, no secret
SPENT_KEY = "reports:spent-form-token:{nonce}"
SENT_KEY = "reports:sent:{digest}"
SENT_SALT = "routes.reports.sent"
# What makes two submissions the same report (the time is not: "just now" on a
# form sent again a minute later is a minute later).
SAME_REPORT_FIELDS = (
    "crossing",
    "direction",
    "mode",
    "status_seen",
    "wait_minutes",
    "queue_position",
    "note",
    "language",
)
TRUSTED_TOKEN_PREFIX = "rpt_"  # nosec B105: a visible prefix, not a secret
TRUSTED_TOKEN_SHOWN = len(TRUSTED_TOKEN_PREFIX) + 6  # characters kept to tell apart


class FormTokenError(Exception):
    """The form token is missing, forged, expired or already used."""


def form_token_issue() -> str:
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(secrets.token_urlsafe(12))


def form_token_check(token: str) -> str:
    """The token's nonce if it is genuine and fresh; FormTokenError otherwise."""
    if not token:
        raise FormTokenError(_("The form token is missing: reload the form."))
    try:
        return signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(
            token, max_age=settings.REPORT_FORM_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired:
        raise FormTokenError(
            _("This form is too old: it has been renewed, please send it again.")
        ) from None
    except signing.BadSignature:
        raise FormTokenError(
            _("The form token is not valid: reload the form.")
        ) from None


def form_token_spend(nonce: str) -> None:
    """Mark the token used; FormTokenError if it already was."""
    key = SPENT_KEY.format(nonce=nonce)
    if not cache.add(key, 1, timeout=settings.REPORT_FORM_TOKEN_MAX_AGE + 1):
        raise FormTokenError(
            _("This form was already sent. Reload the form to send another report.")
        )


def sent_key(*, sender: str, fields: dict[str, Any]) -> str:
    """The cache key under which a sender's report is remembered for a while.

    Going Back to the form reloads it with a fresh form token and the browser
    refills the answers, and an app may retry a request whose answer it lost:
    the same sender sending the same report again within REPORT_CLIENT_WINDOW
    gets the first report back instead of a second one. The key is an HMAC
    under SECRET_KEY of the sender's opaque key (a client key or a trusted
    token's id) and the report's content, so the cache alone cannot tell
    which sender or which report it stands for.
    """
    content = {
        name: getattr(fields[name], "pk", fields[name]) for name in SAME_REPORT_FIELDS
    }
    content["note"] = " ".join(str(content["note"] or "").split())
    message = json.dumps([sender, content], sort_keys=True, default=str)
    digest = salted_hmac(SENT_SALT, message, algorithm="sha256").hexdigest()
    return SENT_KEY.format(digest=digest)


def sent_lookup(key: str) -> str | None:
    """The public id of the report already sent under `key`, if any."""
    value = cache.get(key)
    return value if isinstance(value, str) else None


def sent_remember(key: str, public_id: str) -> None:
    cache.set(key, public_id, timeout=settings.REPORT_CLIENT_WINDOW)


def trusted_token_generate() -> tuple[str, str, str]:
    """A new token: (the token, its hash to store, a prefix to tell it apart)."""
    raw = TRUSTED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, trusted_token_hash(raw), raw[:TRUSTED_TOKEN_SHOWN]


def trusted_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def trusted_token_lookup(raw: str) -> TrustedReporterToken | None:
    """The active token `raw` stands for, or None (unknown or revoked)."""
    if not raw.startswith(TRUSTED_TOKEN_PREFIX) or len(raw) > 200:
        return None
    return TrustedReporterToken.objects.filter(
        token_hash=trusted_token_hash(raw), revoked_at__isnull=True
    ).first()

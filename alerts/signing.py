"""Webhook signatures exactly as the Standard Webhooks specification (1.0) says.

https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md

- The secret is "whsec_" followed by base64 of 24 or more random bytes (we
  make 32); the HMAC key is those bytes, base64-decoded.
- The signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the body
  byte for byte as sent.
- `webhook-signature` is "v1," and the base64 of HMAC-SHA256 over it; a space
  separated list when several secrets are valid at once (rotation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64
SIGNATURE_VERSION = "v1"


def secret_new() -> str:
    """A fresh signing secret: "whsec_" and base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key a secret stands for (with or without its prefix)."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one attempt: "v1,<base64 HMAC>"."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signature_valid(
    *, secret: str, msg_id: str, timestamp: int, body: bytes, header: str
) -> bool:
    """Whether any "v1,…" entry of a `webhook-signature` header is this body's
    signature (compared in constant time). The receiver's side, for tests and
    for the verification snippet in docs/webhooks.md."""
    expected = signature(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body)
    return any(
        hmac.compare_digest(expected.encode(), candidate.encode())
        for candidate in header.split()
    )

"""The mirror's Ed25519 keys, written as base64 of their raw 32 bytes.

The private key signs a mirror's manifest; anyone holding the public key (served
at /.well-known/exitwatch-mirror-key, printed in the README) checks that a copy
is the one we made, wherever it is hosted. Imports no Django: the settings read
the key through it.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

KEY_BYTES = 32


class BadKey(ValueError):
    """A key that is not base64 of 32 bytes."""


def _raw(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise BadKey(f"{what} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise BadKey(f"{what} is {len(raw)} bytes, not {KEY_BYTES}")
    return raw


def private_key_new() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return base64.b64encode(raw).decode()


def private_key(value: str) -> Ed25519PrivateKey:
    """Raises BadKey naming what is wrong with `value`."""
    return Ed25519PrivateKey.from_private_bytes(_raw(value, "the signing key"))


def public_key_of(private: str) -> str:
    """The public key (base64) of a private key (base64)."""
    raw = private_key(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key(value: str) -> Ed25519PublicKey:
    """Raises BadKey naming what is wrong with `value`."""
    return Ed25519PublicKey.from_public_bytes(_raw(value, "the public key"))


def sign(private: str, data: bytes) -> str:
    """The signature of `data`, base64."""
    return base64.b64encode(private_key(private).sign(data)).decode()


def signature_valid(public: str, data: bytes, signature: str) -> bool:
    try:
        public_key(public).verify(base64.b64decode(signature.strip()), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True

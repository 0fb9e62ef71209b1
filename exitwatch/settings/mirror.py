"""The signed static mirror (docs/mirrors.md): the key that signs it, where the
scheduled export writes it and how often."""

from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.env import env_int, env_str
from mirror.signing import BadKey, public_key, public_key_of

# Base64 of a raw Ed25519 private key (manage.py mirror_keygen); without it
# nothing is exported and no key is served.
MIRROR_SIGNING_KEY = env_str("MIRROR_SIGNING_KEY")
# The key readers check a mirror against. Derived from the signing key when it is
# set, so what the site serves and what signs can never disagree; alone, it lets
# a machine without the private key check copies (manage.py verify_mirror).
_public = env_str("MIRROR_PUBLIC_KEY")
try:
    if MIRROR_SIGNING_KEY:
        MIRROR_PUBLIC_KEY = public_key_of(MIRROR_SIGNING_KEY)
        if _public and _public != MIRROR_PUBLIC_KEY:
            raise ImproperlyConfigured(
                "MIRROR_PUBLIC_KEY is not the public key of MIRROR_SIGNING_KEY: "
                "leave it unset"
            )
    else:
        MIRROR_PUBLIC_KEY = _public
        if _public:
            public_key(_public)
except BadKey as exc:
    raise ImproperlyConfigured(f"MIRROR_SIGNING_KEY/MIRROR_PUBLIC_KEY: {exc}") from None
# The folder the scheduled export replaces whole on every run ("" = no export).
MIRROR_EXPORT_DIR = env_str("MIRROR_EXPORT_DIR")
MIRROR_EXPORT_MINUTES = env_int("MIRROR_EXPORT_MINUTES", 15, minimum=5)

"""The onion service: the same site at a .onion address, over plain HTTP.

Tor encrypts an onion connection end to end and the address is its own proof of
identity, so there is no certificate and no https:// for it. Django's
SecurityMiddleware would send every onion request to https://<onion>/, which does
not exist; this subclass of it lets requests for settings.ONION_ADDRESS through
as they are, sends them no Strict-Transport-Security, and tells clearnet
visitors of an HTML page where the same page is over Tor (`Onion-Location`, read
by Tor Browser). Everything else it does is Django's, for every host.

Only nginx's onion server block forwards that Host (the clearnet one drops
unknown hosts), and it tells Django the scheme is http, whatever the client said.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware
from django.utils.encoding import escape_uri_path


def is_onion_address(name: str) -> bool:
    """A v3 onion host name whose checksum holds (rend-spec-v3, 6): a typo in
    the address would otherwise be published on every page."""
    if not re.fullmatch(r"[a-z2-7]{56}\.onion", name):
        return False
    decoded = base64.b32decode(name.removesuffix(".onion").upper())
    key, checksum, version = decoded[:32], decoded[32:34], decoded[34:]
    expected = hashlib.sha3_256(b".onion checksum" + key + version).digest()[:2]
    return version == b"\x03" and checksum == expected


def via_onion(request: HttpRequest) -> bool:
    """The request came to the onion address (its Host), not the clearnet one."""
    onion = settings.ONION_ADDRESS
    host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].lower()
    return bool(onion) and host == onion


# The only parts of a query the onion link carries. The rest can name a
# traveller's documents (the map keeps its profile in the address), and the
# header is stored wherever the page is: the offline worker's copy, a proxy's.
ONION_QUERY_KEPT = ("lang", "at")


def onion_url(request: HttpRequest) -> str:
    """This page at the onion address, in its language and moment."""
    kept = [(key, request.GET[key]) for key in ONION_QUERY_KEPT if key in request.GET]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"http://{settings.ONION_ADDRESS}{escape_uri_path(request.path)}{query}"


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's, except for the onion host: no https redirect, no HSTS there;
    `Onion-Location` on clearnet HTML pages when an onion address is set."""

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        if via_onion(request):
            return None
        return super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if via_onion(request):
            # Plain HTTP, so browsers would ignore it; nor should a proxy in
            # between be told to pin an address that has no https.
            del response["Strict-Transport-Security"]
        elif settings.ONION_ADDRESS and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            response.headers.setdefault("Onion-Location", onion_url(request))
        return response

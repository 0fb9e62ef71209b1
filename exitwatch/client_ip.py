"""The client's address as the last trusted proxy saw it.

Behind N reverse proxies that each append to X-Forwarded-For, the N-th address from
the right is the one the outermost proxy received the connection from: anything to
its left was written by the client and can be forged. With no proxy (N = 0) only
REMOTE_ADDR counts. The same rule serves the API throttles and the admin lockout, so
a forged header neither dodges a limit nor locks staff out by naming their address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client address, honouring settings.NUM_PROXIES trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer hops than proxies means a proxy is missing from the chain: the leftmost
    # is then the best we know, and it still came from a trusted proxy.
    return hops[-min(proxies, len(hops))]

"""The staff login's brakes on password guessing, on top of django-axes.

django-axes counts failures per username and address (the pair, so a guesser
locks out only themselves); it compares every lockout parameter against one
failure limit. A guesser with many addresses stays under the pair's limit at
each one, so a second brake counts a username's failures from every address
together against a higher limit of its own (settings.LOGIN_USERNAME_FAILURE_LIMIT).
That brake can keep the real user out too while it holds: the price of
stopping a spread-out guesser, bounded by the cool-off.

Addresses are grouped as the other limits group them: an IPv6 client's /64 is
one address (one household or server holds a whole /64), an IPv4-mapped IPv6
address is its IPv4 address.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from exitwatch.lib.axes_handler import BrowserlessAxesHandler
from exitwatch.lib.client_ip import client_ip


def lockout_address(request: HttpRequest) -> str | None:
    """The client address the lockout counts by: IPv4, or an IPv6 /64's network
    address; None (one shared bucket) when it cannot be read."""
    try:
        ip = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)


def username_failures(username: str, request: HttpRequest) -> int:
    """A username's failed logins within the cool-off, from every address."""
    recent = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginLockoutHandler(BrowserlessAxesHandler):
    """axes' database handler without the browser (exitwatch.lib.axes_handler),
    with the username-wide brake added to its count."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username is None:
            return failures
        if (
            username_failures(username, request)
            >= settings.LOGIN_USERNAME_FAILURE_LIMIT
        ):
            # Counts as the pair's limit reached, wherever the attempt comes from:
            # axes then refuses it and answers with its lockout response.
            return max(failures, get_failure_limit(request, credentials))
        return failures

"""What the report endpoints know about a client, and how little of it they keep.

The client's address is used for one thing: counting its reports against a rate
limit. It is never stored, logged or cached. The cache holds only an HMAC of it
under a random salt that lives in the cache itself and is replaced every UTC day,
so yesterday's counters cannot be tied to an address even by someone holding the
SECRET_KEY. IPv6 clients are counted per /64, the block one subscriber gets.
"""

from __future__ import annotations

import logging

from django.urls import NoReverseMatch, reverse


def _reporter_paths() -> tuple[str, ...]:
    paths = []
    for name in ("reports:form", "api:reports", "reports:privacy"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:  # URLs not loaded (e.g. a management command)
            continue
    return tuple(paths)


class ReporterLogFilter(logging.Filter):
    """Strip the request from Django's log records about the report endpoints.

    Django logs every 4xx/5xx response ("Too Many Requests: /api/v1/reports/")
    with the request attached; a handler that formats it (mail_admins, Sentry)
    would write out the reporter's address and user agent. The message keeps
    the path and status, which is all anyone needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and path.startswith(_reporter_paths()):
            record.request = None
        return True

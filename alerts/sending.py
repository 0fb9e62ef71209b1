"""One webhook POST, to an address checked against the SSRF rules.

The host is resolved once (alerts.targets checks every address), and the
connection goes to a checked address with the name kept for the Host header,
TLS's SNI and the certificate check: urllib3 is given the address to connect
to and `server_hostname`/`assert_hostname` for the name, so nothing resolves
the name again between the check and the connection. No redirect is followed
(a 3xx is a failure, as Standard Webhooks advises), no proxy from the
environment is used, both timeouts are short and the answer's body is not read.

Outcomes are named: a 2xx returns its status; DeliveryRetry for what may pass
(the network, DNS, a 5xx, a 429); DeliveryRefused for what will not (a 3xx or
4xx, an address the rules refuse); EndpointGone for a 410 (the receiver asks to
be left alone).
"""

from __future__ import annotations

import certifi
import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError
from urllib3.util import Timeout

from alerts.targets import (
    Target,
    TargetRefused,
    TargetUnresolved,
    target_addresses,
    target_parse,
)

USER_AGENT = "ExitWatch-Webhooks/1.0"
# A name with many addresses: try this many of them before giving up the attempt.
MAX_ADDRESSES = 3


class DeliveryError(Exception):
    """A delivery attempt that did not end in a 2xx."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class DeliveryRetry(DeliveryError):
    """Worth another attempt later: the network, DNS, a 5xx or a 429.

    `retry_after` is the receiver's Retry-After, in seconds, when it gave one.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class DeliveryRefused(DeliveryError):
    """Not worth trying again: a 3xx or 4xx, or a target the rules refuse."""


class EndpointGone(DeliveryRefused):
    """410 Gone: the receiver wants no more webhooks from us."""


def _retry_after(value: str | None) -> int | None:
    # Only the delay in seconds; an HTTP date is rare from webhook receivers.
    if value and value.strip().isdigit():
        return int(value.strip())
    return None


def _pool(address: str, target: Target, timeout: float) -> urllib3.HTTPConnectionPool:
    options = {
        "host": address,
        "port": target.port,
        "timeout": Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            **options,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    return urllib3.HTTPConnectionPool(**options)


def _outcome(status: int, retry_after: str | None) -> int:
    if 200 <= status < 300:
        return status
    message = f"HTTP {status}"
    if status == 410:
        raise EndpointGone(message, status=status)
    if status == 429 or status >= 500:
        raise DeliveryRetry(
            message, status=status, retry_after=_retry_after(retry_after)
        )
    raise DeliveryRefused(message, status=status)


def post_webhook(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_http: bool,
    allow_private: bool,
) -> int:
    """POST `body` to `url`; the 2xx status, or one of the DeliveryError kinds."""
    try:
        target = target_parse(url, allow_http=allow_http)
        addresses = target_addresses(target, allow_private=allow_private)
    except TargetUnresolved as exc:
        raise DeliveryRetry(str(exc)) from None
    except TargetRefused as exc:
        raise DeliveryRefused(str(exc)) from None
    sent_headers = {
        **headers,
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    failures = []
    for address in addresses[:MAX_ADDRESSES]:
        pool = _pool(address, target, timeout)
        try:
            try:
                response = pool.urlopen(
                    "POST",
                    target.path,
                    body=body,
                    headers=sent_headers,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    assert_same_host=False,
                )
            except (NewConnectionError, ConnectTimeoutError) as exc:
                # Nothing reached the receiver: the next address may answer.
                failures.append(f"{address}: {exc}")
                continue
            except (HTTPError, OSError) as exc:
                # It may have been received; the next attempt waits its backoff.
                raise DeliveryRetry(f"{address}: {type(exc).__name__}: {exc}") from None
            try:
                # The body is never read: only the status matters.
                return _outcome(response.status, response.headers.get("Retry-After"))
            finally:
                response.close()
        finally:
            pool.close()
    raise DeliveryRetry("could not connect: " + "; ".join(failures))

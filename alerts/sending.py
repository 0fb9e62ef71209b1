"""One webhook POST, to an address checked against the SSRF rules.

The host is resolved once (alerts.targets checks every address), and the
connection goes to a checked address with the name kept for the Host header,
TLS's SNI and the certificate check: urllib3 is given the address to connect
to and `server_hostname`/`assert_hostname` for the name, so nothing resolves
the name again between the check and the connection. No redirect is followed
(a 3xx is a failure, as Standard Webhooks advises), no proxy from the
environment is used, both timeouts are short and a webhook's answer body is not
read. `post_bytes` is the same POST for callers that need the answer's body
(alerts.telegram reads the Bot API's JSON).

Outcomes are named: a 2xx returns its status; DeliveryRetry for what may pass
(the network, DNS, a 5xx, a 429); DeliveryRefused for what will not (a 3xx or
4xx, an address the rules refuse); EndpointGone for a 410 (the receiver asks to
be left alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Answer:
    """What an endpoint answered: its status, headers and (if asked) body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def post_bytes(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_http: bool,
    allow_private: bool,
    read_limit: int = 0,
    user_agent: str = USER_AGENT,
) -> Answer:
    """POST `body` (JSON) to `url` under the SSRF rules; whatever status comes
    back, with up to `read_limit` bytes of the body (none by default).

    Raises DeliveryRetry when nothing was answered (the network, DNS) and
    DeliveryRefused when the rules refuse the target."""
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
        "User-Agent": user_agent,
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
                data = response.read(read_limit) if read_limit else b""
            except (HTTPError, OSError) as exc:
                raise DeliveryRetry(f"{address}: {type(exc).__name__}: {exc}") from None
            finally:
                response.close()
            return Answer(response.status, response.headers, data)
        finally:
            pool.close()
    raise DeliveryRetry("could not connect: " + "; ".join(failures))


def post_webhook(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_http: bool,
    allow_private: bool,
) -> int:
    """POST `body` to `url`; the 2xx status, or one of the DeliveryError kinds.
    The answer's body is never read: only the status matters."""
    answer = post_bytes(
        url=url,
        body=body,
        headers=headers,
        timeout=timeout,
        allow_http=allow_http,
        allow_private=allow_private,
    )
    return _outcome(answer.status, answer.headers.get("Retry-After"))

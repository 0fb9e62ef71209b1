"""One careful HTTP GET for every external feed and provider.

Feeds are fetched by workers on a schedule, so a misbehaving server must cost
little and never crash a task: timeouts on connect and read, conditional requests
(ETag / Last-Modified) so an unchanged feed is a 304 with no body, redirects
followed only within the same host, and a cap on the body size, enforced while
reading (a 50 MB answer is cut off at the cap, not loaded). Failures come back
as a FetchError value naming what went wrong and whether retrying may help.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

USER_AGENT = "ExitWatch/1.0 (travel advisory and flight refresh)"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    """A successful answer: 200 with a body, or 304 (not modified) without one."""

    url: str
    status: int
    body: bytes
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FetchError:
    """Why a fetch failed; `transient` when the same request may work later."""

    url: str
    message: str
    transient: bool = False
    status: int | None = None

    def __str__(self) -> str:
        return self.message


def _same_host(origin: str, target: str) -> bool:
    """Same host and port, and no downgrade from https to http."""
    first, second = urlsplit(origin), urlsplit(target)
    return (first.hostname, first.port) == (
        second.hostname,
        second.port,
    ) and second.scheme in {first.scheme, "https"}


def _read_capped(response: requests.Response, max_bytes: int) -> bytes | None:
    """The body, or None once it grows past `max_bytes` (checked while reading)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    body = bytearray()
    for chunk in response.iter_content(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            return None
    return bytes(body)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    max_bytes: int = MAX_BODY_BYTES,
    session: requests.Session | None = None,
) -> FetchResult | FetchError:
    """GET `url`; never raises for network or HTTP trouble, returns a FetchError."""
    request_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    request_headers.update(headers or {})
    http = session or requests.Session()
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = http.get(
                    current,
                    params=params if current == url else None,
                    headers=request_headers,
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                )
            except requests.Timeout:
                return FetchError(current, f"timed out fetching {current}", True)
            except requests.ConnectionError as exc:
                return FetchError(
                    current, f"could not connect to {current}: {exc}", True
                )
            except requests.RequestException as exc:
                return FetchError(current, f"request to {current} failed: {exc}")
            with response:
                if response.is_redirect:
                    target = urljoin(current, response.headers.get("Location", ""))
                    if not _same_host(url, target):
                        return FetchError(
                            current,
                            f"refused redirect from {current} to another host "
                            f"({target})",
                        )
                    current = target
                    continue
                return _result(response, current, max_bytes)
        return FetchError(current, f"more than {MAX_REDIRECTS} redirects from {url}")
    finally:
        if session is None:
            http.close()


def _result(
    response: requests.Response, url: str, max_bytes: int
) -> FetchResult | FetchError:
    status = response.status_code
    if status == 304:
        return FetchResult(
            url=url,
            status=304,
            body=b"",
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )
    if status >= 400:
        # 5xx and 429 are the server's trouble of the moment; 4xx is ours.
        transient = status >= 500 or status == 429
        return FetchError(url, f"HTTP {status} from {url}", transient, status)
    if status != 200:
        return FetchError(url, f"unexpected HTTP {status} from {url}", False, status)
    try:
        body = _read_capped(response, max_bytes)
    except requests.Timeout:
        return FetchError(url, f"timed out reading {url}", True)
    except requests.RequestException as exc:
        return FetchError(url, f"connection broke while reading {url}: {exc}", True)
    if body is None:
        return FetchError(
            url,
            f"response from {url} is larger than {max_bytes // (1024 * 1024)} MB; "
            "refused",
        )
    return FetchResult(
        url=url,
        status=200,
        body=body,
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
    )

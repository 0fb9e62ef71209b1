"""A local HTTP server standing in for the government feeds and the flight API.

Tests register what each path answers (body, status, headers, a delay, an ETag)
and read back which requests came in. It listens on 127.0.0.1 on a port from
EXITWATCH_TEST_PORTS (default 8200–8299, moved into an xdist worker's own block),
never on another address.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.ports import worker_range

PORT_RANGE = worker_range(os.environ.get("EXITWATCH_TEST_PORTS", "8200-8299"))


@dataclass
class Route:
    body: bytes | Callable[[], bytes] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    delay: float = 0.0
    delay_once: bool = False  # only the first request waits
    stream_bytes: int = 0  # send this many bytes, chunked, with no Content-Length


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.started: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.httpd = self._bind()
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def _bind(self) -> ThreadingHTTPServer:
        low, high = (int(p) for p in PORT_RANGE.split("-"))
        server = self
        last_error: OSError | None = None

        class Handler(_Handler):
            feed = server

        for port in range(low, high + 1):
            try:
                httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            except OSError as exc:
                last_error = exc
                continue
            httpd.daemon_threads = True
            return httpd
        raise RuntimeError(f"no free port in {PORT_RANGE}: {last_error}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route) -> str:
        with self._lock:
            self.routes[path] = route
            self.started[path] = threading.Event()
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if s.path.split("?", 1)[0] == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    feed: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output quiet

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        with self.feed._lock:
            self.feed.requests.append(Seen(self.path, dict(self.headers.items())))
            route = self.feed.routes.get(path)
            first = len([r for r in self.feed.requests if r.path.split("?")[0] == path])
            started = self.feed.started.get(path)
        if started is not None:
            started.set()
        if route is None:
            self._send(404, b"not found", {})
            return
        if route.delay and (not route.delay_once or first == 1):
            time.sleep(route.delay)
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self._send(304, b"", {"ETag": route.etag})
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.stream_bytes:
            self._stream(route.stream_bytes, headers)
            return
        body = route.body() if callable(route.body) else route.body
        self._send(route.status, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream(self, total: int, headers: dict[str, str]) -> None:
        chunk = b"0" * (1024 * 1024)
        try:
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            sent = 0
            while sent < total:
                part = chunk[: min(len(chunk), total - sent)]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                sent += len(part)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should past its cap
        self.close_connection = True


def uk_index_for(documents: dict[str, bytes]) -> bytes:
    """The recorded GOV.UK index with its children replaced by entries for the
    given country documents (the recorded index lists other countries)."""
    from tests.datafiles import UK_INDEX

    index = json.loads(UK_INDEX.read_bytes())
    template = index["links"]["children"][0]
    children = []
    for slug, raw in documents.items():
        document = json.loads(raw)
        child = dict(template)
        child.update(
            api_path=f"/api/content/foreign-travel-advice/{slug}",
            base_path=f"/foreign-travel-advice/{slug}",
            content_id=document["content_id"],
            public_updated_at=document["public_updated_at"],
            title=document["title"],
            details={
                "country": {**document["details"]["country"], "synonyms": []},
                "change_description": document["details"]["change_description"],
            },
        )
        children.append(child)
    index["links"]["children"] = children
    return json.dumps(index).encode()


def serve_samples(server: FeedServer) -> dict[str, str]:
    """Serve the recorded samples of the four advisory feeds at their real paths;
    return each source key's feed URL on this server.

    The US, UK and Australian feeds answer 304 to their ETag; the Canadian one
    has no ETag and rewrites metadata.generated on every request, as the live
    feed does.
    """
    from tests import datafiles

    generation = iter(range(1_000_000))

    def canada() -> bytes:
        document = json.loads(datafiles.CA_INDEX.read_bytes())
        document["metadata"]["generated"]["timestamp"] += next(generation)
        return json.dumps(document).encode()

    documents = {
        "albania": datafiles.UK_ALBANIA.read_bytes(),
        "turkey": datafiles.UK_TURKEY.read_bytes(),
        "antarctica": datafiles.UK_ANTARCTICA.read_bytes(),
    }
    for slug, raw in documents.items():
        server.add(f"/api/content/foreign-travel-advice/{slug}", Route(raw))
    return {
        "us-state": server.add(
            "/_res/rss/TAsTWs.xml", Route(datafiles.US_RSS.read_bytes(), etag='"us-1"')
        ),
        "uk-fcdo": server.add(
            "/api/content/foreign-travel-advice",
            Route(uk_index_for(documents), etag='"uk-1"'),
        ),
        "ca-travel": server.add("/travel-voyage/index-alpha-eng.json", Route(canada)),
        "au-smartraveller": server.add(
            "/destinations-export",
            Route(datafiles.AU_EXPORT.read_bytes(), etag='"au-1"'),
        ),
    }


SAMPLE_COUNTS = {
    "us-state": 69,
    "uk-fcdo": 3,
    "ca-travel": 226,
    "au-smartraveller": 178,
}

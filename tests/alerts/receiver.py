"""A webhook receiver on loopback for the tests: records every POST (path,
headers, raw body) and answers with the statuses it is told, in turn (204 once
they run out). Ports from 8700-8719, moved into an xdist worker's own block."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.ports import loopback_server, worker_range

PORT_RANGE = worker_range("8700-8719")


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        # Each answer: a status, or (status, headers).
        self.statuses: list[int | tuple[int, dict[str, str]]] = []
        self._lock = threading.Lock()
        self.arrived = threading.Condition(self._lock)
        self.httpd = self._bind()
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def _bind(self) -> ThreadingHTTPServer:
        receiver = self

        class Handler(_Handler):
            owner = receiver

        return loopback_server(PORT_RANGE, Handler)

    def url(self, path: str = "/hooks/exitwatch") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        with self._lock:
            self.statuses.extend(statuses)

    def wait(self, count: int, timeout: float) -> list[Received]:
        """Every request so far, once there are `count`; fails after `timeout`."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(
                    f"{len(self.received)} of {count} webhooks arrived in {timeout} s"
                )
            return list(self.received)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: Receiver
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with self.owner.arrived:
            answer = self.owner.statuses.pop(0) if self.owner.statuses else 204
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            self.owner.received.append(
                Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            self.owner.arrived.notify_all()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

"""A fake Telegram Bot API on loopback for the tests and bench/alerts_kill.py:
records every call (method and JSON arguments), answers sendMessage, setWebhook
and getMe as Telegram does, and answers 429 with parameters.retry_after when
told to. Ports from 8740-8759, moved into an xdist worker's own block."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.ports import loopback_server, worker_range

PORT_RANGE = worker_range("8740-8759")


@dataclass
class Call:
    token: str
    method: str
    payload: dict[str, Any]


class BotServer:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        # Each answer: (status, JSON document) used instead of success, in turn.
        self.answers: list[tuple[int, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.httpd = self._bind()
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        """The sendMessage calls so far (to one chat), oldest first."""
        return [
            c.payload
            for c in self.calls
            if c.method == "sendMessage"
            and (chat_id is None or str(c.payload.get("chat_id")) == chat_id)
        ]

    def too_many(self, retry_after: int) -> None:
        self.answers.append(
            (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                },
            )
        )

    def _bind(self) -> ThreadingHTTPServer:
        server = self

        class Handler(_Handler):
            owner = server

        return loopback_server(PORT_RANGE, Handler)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: BotServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        _empty, bot, method = self.path.split("/", 2)
        with self.owner.lock:
            self.owner.calls.append(Call(bot.removeprefix("bot"), method, payload))
            answer = self.owner.answers.pop(0) if self.owner.answers else None
        if answer is None:
            answer = (200, {"ok": True, "result": self._result(method, payload)})
        status, document = answer
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _result(self, method: str, payload: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": 1, "is_bot": True, "username": "ExitWatchTestBot"}
        if method == "setWebhook":
            return True
        if method == "sendMessage":
            return {
                "message_id": len(self.owner.calls),
                "chat": {"id": payload.get("chat_id")},
                "text": payload.get("text"),
            }
        return True

"""Playwright against Debian's chromium and pytest-django's live server.

Never `playwright install`: the browser is the system's (`apt-get install chromium`),
so the tests need no download. Every request to another host (map tiles) is
aborted: the tests use no network, and the map must work without its tiles. Pages
run under the site's own Content-Security-Policy, and a violation fails the test.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.ports import worker_port

CHROMIUM = os.environ.get("EXITWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _free_port(*, avoid: int = 0) -> int:
    """A free port of this worker's 8300-8399 (tests.support.ports)."""
    low, high = worker_port(8300), worker_port(8399)
    ports = [port for port in range(low, high + 1) if port != avoid]
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


# Read by pytest-django when the session-wide live server first starts.
LIVE_SERVER = os.environ.setdefault(
    "DJANGO_LIVE_TEST_SERVER_ADDRESS", f"127.0.0.1:{_free_port()}"
)


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory) -> Iterator[str]:
    """One Chromium for the whole session, launched by Playwright's own server (the
    same switches as `launch`); each test connects to it. Yields its endpoint."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install "
            "chromium) or set EXITWATCH_CHROMIUM",
            pytrace=False,
        )
    config = tmp_path_factory.mktemp("chromium") / "server.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": CHROMIUM,
                "args": CHROMIUM_ARGS,
                "host": "127.0.0.1",
                # Not the live server's, which may not be listening yet.
                "port": _free_port(avoid=int(LIVE_SERVER.rsplit(":", 1)[1])),
                "wsPath": "exitwatch-tests",
            }
        )
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "launch-server"]
        + ["--browser", "chromium", "--config", str(config)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: Chromium goes with it
    )
    try:
        # The server prints its endpoint once the browser is up.
        endpoint = process.stdout.readline().strip()
        if not endpoint.startswith("ws://"):
            pytest.fail(f"Playwright's browser server did not start: {endpoint!r}")
        yield endpoint
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def browser(browser_server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it runs, and
    # Django then refuses ORM calls (seeding the test's data) although they stay
    # synchronous here: allowed while the browser runs. One connection per test,
    # set up after the database and closed before its flush: with the loop
    # running, Django's context-local connections are not the test case's own,
    # and the flush would then run without the serialized-rollback settings. The
    # browser itself is the session's (browser_server).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.connect(browser_server)
            yield chromium
            chromium.close()  # closes this test's contexts, not the browser
            # Connections opened while the loop ran are not the test case's: close
            # them here, or the test database cannot be dropped at the end.
            from django.db import connections

            connections.close_all()


class Visitor:
    """A browser tab with its own context, viewport, language and JS switch."""

    def __init__(
        self, browser, live_server, *, viewport, lang="en", js=True, worker=False
    ):
        self.base = live_server.url
        self.context = browser.new_context(
            viewport=viewport,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            java_script_enabled=js,
            # Requests a service worker makes pass Playwright's routes by, so a
            # test that cuts the network with routes runs without the offline
            # worker; the offline tests (test_offline.py) ask for it.
            service_workers="allow" if worker else "block",
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.snapshot_statuses: list[int] = []
        self.snapshot_urls: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "net::ERR_FAILED" not in msg.text
                and self.errors.append(msg.text)
            ),
        )
        self.page.on("response", self._note_snapshot)
        self.page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page.route(lambda url: not url.startswith(self.base), self._abort)
        self.policy = ""

    def _note_snapshot(self, response) -> None:
        if "/api/v1/map/" in response.url:
            self.snapshot_statuses.append(response.status)
            self.snapshot_urls.append(response.url)

    @staticmethod
    def _abort(route) -> None:
        route.abort()

    def open(self, path: str) -> object:
        response = self.page.goto(self.base + path)
        # The site's own Content-Security-Policy (django-csp, settings): the pages
        # run under it here as in production, and csp_violations() reports breaches.
        self.policy = response.headers.get("content-security-policy", "")
        return self.page

    def open_map(self, path: str = "/") -> object:
        page = self.open(path)
        page.wait_for_selector("#dashboard[data-loaded]")
        return page

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live_server) -> Iterator[object]:
    visitors: list[Visitor] = []

    def open_visitor(**kwargs: object) -> Visitor:
        visitor = Visitor(browser, live_server, **kwargs)
        visitors.append(visitor)
        return visitor

    yield open_visitor
    for visitor in visitors:
        visitor.close()

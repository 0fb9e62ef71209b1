"""Ports for the servers the tests start (feed stand-ins, a private Redis, nginx,
the live server, the browser).

All below 32768: the kernel hands out client ports from there up, and a server
there collides with them under load. Under pytest-xdist each worker gets a block of
its own, 1000 higher per worker, so parallel workers never take each other's.
"""

from __future__ import annotations

import os
from http.server import ThreadingHTTPServer

WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
OFFSET = 1000 * WORKER


def worker_port(port: int) -> int:
    """`port` moved into this worker's block."""
    return port + OFFSET


def worker_range(port_range: str) -> str:
    """A "low-high" range moved into this worker's block."""
    low, high = (int(p) for p in port_range.split("-"))
    return f"{worker_port(low)}-{worker_port(high)}"


def loopback_server(port_range: str, handler: type) -> ThreadingHTTPServer:
    """A threading HTTP server on 127.0.0.1 at the first free port of a
    "low-high" range (already moved into this worker's block)."""
    low, high = (int(p) for p in port_range.split("-"))
    for port in range(low, high + 1):
        try:
            httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
        httpd.daemon_threads = True
        return httpd
    raise RuntimeError(f"no free port in {port_range}")

"""Waiting for a condition, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(
    check: Callable[[], object], timeout: float, what: str, *, every: float = 0.2
) -> float:
    """Poll `check` every `every` seconds until it is truthy, looking one last time at
    the deadline; return the seconds it took, or fail naming `what`."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        if check():
            return time.monotonic() - started
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(min(every, left))

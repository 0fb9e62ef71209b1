"""Helpers for tests of the public pages."""

from __future__ import annotations

import re

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EXTERNAL_ASSET = re.compile(r"<(?:script|link)[^>]+(?:src|href)=\"(?:https?:)?//", re.I)


def csp_problems(html: str) -> list[str]:
    """What in a page a strict Content-Security-Policy would block or distrust."""
    problems = []
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("inline event handler", EVENT_HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("asset from another host", EXTERNAL_ASSET),
    ):
        problems += [f"{name}: {m.group(0)}" for m in pattern.finditer(html)]
    return problems

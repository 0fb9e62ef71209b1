"""Calls to the Telegram Bot API, over alerts.sending's one POST helper.

The API answers JSON: {"ok": true, "result": …} or {"ok": false,
"error_code": …, "description": …, "parameters": {"retry_after": N}}. Outcomes
are named as for webhooks: BotRetry for what may pass (the network, a 5xx, a
429 with Telegram's retry_after), BotRefused for what will not (a 400 "chat not
found", a 403 "bot was blocked by the user"). The token is part of the URL:
it is never put in an error or a log line.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from alerts.sending import DeliveryRefused, DeliveryRetry, post_bytes

USER_AGENT = "ExitWatch-Telegram/1.0"
# A Bot API answer is small; sendMessage echoes the message (≤ 4096 characters).
READ_LIMIT = 64 * 1024


class BotError(Exception):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BotRetry(BotError):
    """Worth another call later; `retry_after` is Telegram's wait, in seconds."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class BotRefused(BotError):
    """Not worth calling again with the same arguments."""


def bot_call(method: str, payload: dict[str, Any]) -> Any:
    """Call `method` with `payload`; its `result`, or BotRetry / BotRefused."""
    url = f"{settings.TELEGRAM_API_URL}/bot{settings.TELEGRAM_BOT_TOKEN}/{method}"
    try:
        # The API's address is the operator's setting, not a partner's: no SSRF
        # rules (tests and a local Bot API server run on loopback, over http).
        answer = post_bytes(
            url=url,
            body=json.dumps(payload, ensure_ascii=False).encode(),
            headers={},
            timeout=settings.TELEGRAM_TIMEOUT_SECONDS,
            allow_http=True,
            allow_private=True,
            read_limit=READ_LIMIT,
            user_agent=USER_AGENT,
        )
    except DeliveryRetry as exc:
        raise BotRetry(f"{method}: {_without_token(str(exc))}") from None
    except DeliveryRefused as exc:
        raise BotRefused(f"{method}: {_without_token(str(exc))}") from None
    try:
        document = json.loads(answer.body)
    except ValueError:
        document = {}
    if not isinstance(document, dict):
        document = {}
    if answer.status == 200 and document.get("ok"):
        return document.get("result")
    description = str(document.get("description") or f"HTTP {answer.status}")
    message = f"{method}: {answer.status} {description}"[:300]
    parameters = document.get("parameters") or {}
    retry_after = (
        parameters.get("retry_after") if isinstance(parameters, dict) else None
    )
    if answer.status == 429 or answer.status >= 500:
        raise BotRetry(
            message,
            status=answer.status,
            retry_after=retry_after if isinstance(retry_after, int) else None,
        )
    raise BotRefused(message, status=answer.status)


def _without_token(text: str) -> str:
    token = settings.TELEGRAM_BOT_TOKEN
    return text.replace(token, "…") if token else text

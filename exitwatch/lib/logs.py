"""Log lines for machines: one JSON object per line, each with the request it
belongs to, never with a client's address.

A request id ties together the lines one request writes (and nginx's own, which
sends it as X-Request-ID). It is random and says nothing about the client. The
formatter writes only the record's own fields and plain extras: an object a
library attaches (Django puts the request on its 4xx/5xx records) is dropped, not
turned into text, because that text is where a traveller's address would leak.
"""

from __future__ import annotations

import logging
import logging.config
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

# What a request id from nginx ($request_id: 32 hex digits) or another proxy looks
# like; anything else is replaced, so a client cannot write into our logs with it.
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# Values a JSON log line may carry as they are; anything else is dropped.
_PLAIN = (str, int, float, bool, type(None), datetime)


def configure(config: dict[str, Any]) -> None:
    """settings.LOGGING_CONFIG: Django's dictConfig, and Python's warnings sent
    through logging too, so that no line on the console is not JSON."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


def current_request_id() -> str:
    """The id of the request being handled in this context ("" outside one)."""
    return request_id_var.get()


class RequestIdMiddleware:
    """Give each request an id: nginx's, when it sent a well-formed one, else a new
    random one. Set for the log lines written while it is handled, and sent back
    in X-Request-ID so a user's report of an error can be found in the logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request id (or the Celery task's id) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx/5xx after the middleware have returned, with the
            # request attached: its id is on the request by then, not in context.
            request = getattr(record, "request", None)
            record.request_id = (
                getattr(request, "request_id", "") or current_request_id() or _task_id()
            )
        return True


def _task_id() -> str:
    # In a worker the task's id plays the request id's part. Imported here: the
    # web process logs without Celery's task context ever being set up.
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - Celery is a dependency
        return ""
    request = getattr(current_task, "request", None)
    return getattr(request, "id", None) or ""


class JsonLogFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id, and the
    record's plain extras; the traceback as text. Objects (a request, a socket)
    are left out rather than written with their str()."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC
        super().__init__(*args, **kwargs)

    def add_fields(
        self,
        log_data: dict[str, Any],
        record: logging.LogRecord,
        message_dict: dict[str, Any],
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for key, value in list(log_data.items()):
            if not isinstance(value, _PLAIN):
                del log_data[key]

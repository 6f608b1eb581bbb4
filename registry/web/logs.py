"""Structured logs in UTC with a request id on every line and every response."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog
from litestar.types import Scope


def configure_logging(json_lines: bool = True, level: int = logging.INFO) -> None:
    """Configure structlog once per process: JSON lines in production, readable in a terminal."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            add_request_context,
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def _valid_request_id(value: str) -> bool:
    return 0 < len(value) <= 64 and all(c.isalnum() or c in "-_." for c in value)


#: The current request's (id, path): one context variable set per request, read only when a
#: line is logged (structlog's `bind_contextvars` costs a variable per key on every request).
_request: ContextVar[tuple[str, str] | None] = ContextVar("registry_request", default=None)


def add_request_context(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Processor: the request id and path on every line logged while a request is served."""
    current = _request.get()
    if current is not None:
        event.setdefault("request_id", current[0])
        event.setdefault("path", current[1])
    return event


def bind_request_id(scope: Scope, incoming: bytes) -> str:
    """The request's id (the caller's `X-Request-ID` if sane, else a new one), bound to every
    log line of this request and kept in `scope["state"]`."""
    given = incoming.decode("latin-1")
    request_id = given if _valid_request_id(given) else os.urandom(16).hex()
    _request.set((request_id, scope["path"]))
    scope.setdefault("state", {})["request_id"] = request_id
    return request_id

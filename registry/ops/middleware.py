"""One ASGI wrapper around the whole app: count and time every request, audit writes."""

from __future__ import annotations

import time
from typing import Any, cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from registry.ops import metrics
from registry.ops.audit import audit_request
from registry.settings import Settings

UNMATCHED = "unmatched"


def route_label(scope: Any) -> str:
    """The route's name (`grants_api:create`), its path template if unnamed, or `unmatched`:
    never the raw path, so a scan of random URLs cannot blow up the number of series."""
    handler = scope.get("route_handler")
    if handler is None:
        return UNMATCHED
    name = getattr(handler, "name", None)
    if name:
        return str(name)
    return str(scope.get("path_template") or UNMATCHED)


class OperationsMiddleware:
    """Outermost: sees requests the host check refuses and errors turned into pages."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        metrics.configure(settings.data_dir)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            route = route_label(scope)
            metrics.observe(
                route, cast(HTTPScope, scope)["method"], status, time.perf_counter() - started
            )
            audit_request(dict(scope), status, route)

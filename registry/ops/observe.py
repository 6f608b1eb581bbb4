"""Count and time every answered request, and audit writes and refusals."""

from __future__ import annotations

from typing import Any

from registry.ops import metrics
from registry.ops.audit import audit_request

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


def observe_request(scope: Any, status: int, seconds: float) -> None:
    """One answered request: counted and timed under its route; audited if a write or refused."""
    route = route_label(scope)
    metrics.observe(route, scope["method"], status, seconds)
    audit_request(scope, status, route)

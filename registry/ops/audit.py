"""The audit log: one structured JSON line (UTC) per write, sign-in, failure and denial.

Sign-ins and their failures are logged where they happen (`registry.accounts.login`); this
module logs, for every request, what a web log alone would miss: every non-GET request with
its method, path, status and actor, and every refusal (401, 403, 429) whatever the method.
All lines carry `logger="audit"` and the request id, so one `jq 'select(.logger=="audit")'`
pulls the trail out of the server's log.
"""

from __future__ import annotations

from typing import Any

import structlog

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSALS = frozenset({401, 403, 429})


def audit_logger() -> Any:
    return structlog.get_logger("audit")


def actor_name(scope: dict[str, Any]) -> str:
    """The signed-in account or token holder behind a request, or `anonymous`."""
    actor = scope.get("state", {}).get("actor")
    username = getattr(actor, "username", "") or ""
    return username or "anonymous"


def is_read(scope: dict[str, Any]) -> bool:
    """A GET, or a POST to a route that only reads (`POST /api/v1/check` declares
    `Action.READ`: its body is a question, not a change)."""
    if scope.get("method", "") in SAFE_METHODS:
        return True
    handler = scope.get("route_handler")
    permission = getattr(handler, "opt", {}).get("permission") if handler is not None else None
    return permission is not None and str(permission[1]) == "read"


def audit_request(scope: dict[str, Any], status: int, route: str) -> None:
    """Log a write or a refusal; reads that succeed are not audited (they are counted)."""
    method = scope.get("method", "")
    if status not in REFUSALS and is_read(scope):
        return
    event = "request_refused" if status in REFUSALS else "request"
    client = scope.get("client") or ("", 0)
    token_scope = getattr(scope.get("state", {}).get("actor"), "token_scope", None)
    log = audit_logger()
    emit = log.warning if status in REFUSALS or status >= 500 else log.info
    emit(
        event,
        logger="audit",
        method=method,
        path=scope.get("path", ""),
        route=route,
        status=status,
        actor=actor_name(scope),
        via="token" if token_scope else "session" if actor_name(scope) != "anonymous" else "",
        ip=client[0],
    )

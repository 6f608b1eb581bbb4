"""Error responses: JSON with reason codes under /api, bilingual pages elsewhere, never a trace."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Template

from registry.errors import AccessReason, AnyReason, RegistryError
from registry.web.sign_in import sign_in_redirect

log = structlog.get_logger("registry.errors")

_PAGES = {403: "errors/403.html", 404: "errors/404.html"}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    accept = request.headers.get("accept", "")
    return path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def error_body(status: int, reasons: list[AnyReason]) -> dict[str, object]:
    return {"status": status, "reasons": [reason.as_json() for reason in reasons]}


def _respond(
    request: Request[Any, Any, Any], status: int, reasons: list[AnyReason]
) -> Response[Any]:
    if wants_json(request):
        return Response(error_body(status, reasons), status_code=status, media_type=MediaType.JSON)
    template = _PAGES.get(status, "errors/500.html" if status >= 500 else "errors/400.html")
    request_id = request.scope.get("state", {}).get("request_id", "")
    return Template(
        template,
        context={"status": status, "reasons": reasons, "request_id": request_id},
        status_code=status,
    )


def registry_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, RegistryError)
    return _respond(request, exc.status, exc.reasons)


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    reason: AccessReason
    if isinstance(exc, NotFoundException) or status == 404:
        reason = AccessReason("NOT_FOUND", what=request.url.path)
    elif isinstance(exc, NotAuthorizedException) or status == 401:
        redirect = sign_in_redirect(request)
        if redirect is not None:
            return redirect
        reason = AccessReason("AUTHENTICATION_REQUIRED")
    elif isinstance(exc, PermissionDeniedException) or status == 403:
        detail = str(exc.detail or "")
        code = "CSRF_FAILED" if "csrf" in detail.lower() else "FORBIDDEN"
        reason = AccessReason(code, detail="")
        log.warning("permission_denied", detail=detail, method=request.method)
    elif isinstance(exc, ValidationException):
        reason = AccessReason("INVALID_REQUEST", detail=_validation_detail(exc))
    elif status == 413:
        reason = AccessReason("PAYLOAD_TOO_LARGE")
    elif status == 429:
        reason = AccessReason("TOO_MANY_REQUESTS")
    elif status >= 500:
        reason = AccessReason("SERVER_ERROR")
    else:
        reason = AccessReason("INVALID_REQUEST", detail=str(exc.detail or ""))
    return _respond(request, status, [reason])


def _validation_detail(exc: ValidationException) -> str:
    extra = exc.extra if isinstance(exc.extra, list) else []
    parts = [
        f"{item.get('key', '')}: {item.get('message', '')}"
        for item in extra
        if isinstance(item, dict)
    ]
    return "; ".join(parts) or str(exc.detail or "")


def server_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("server_error", method=request.method, exc_info=exc)
    return _respond(request, 500, [AccessReason("SERVER_ERROR")])

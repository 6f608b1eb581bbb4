"""Shared OpenAPI descriptions: the error body and the statuses every JSON endpoint may return."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec


class ErrorReason(msgspec.Struct):
    code: str
    field: str | None
    message_vi: str
    message_en: str
    params: dict[str, str]


class ErrorBody(msgspec.Struct):
    status: int
    reasons: list[ErrorReason]


_DESCRIPTIONS = {
    400: "Unreadable request: a missing, unknown or malformed field (reason codes name it)",
    401: "Sign-in or an API token is required",
    403: "Not allowed for this account or token",
    404: "Not found",
    409: "Conflicts with the stored state",
    422: "Refused by the rules of delegation; nothing was stored",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(data_container=ErrorBody, description=_DESCRIPTIONS[status])
        for status in statuses
    }


def to_builtins(struct: Any) -> dict[str, Any]:
    value = msgspec.to_builtins(struct)
    assert isinstance(value, dict)
    return {k: v for k, v in value.items() if v is not None}

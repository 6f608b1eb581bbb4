"""Errors that services raise: a refusal carries reason codes; the web layer picks the status."""

from __future__ import annotations

from collections.abc import Sequence

from registry.domain.reasons import Reason

#: Reasons that are about access and existence rather than the rules of delegation.
ACCESS_MESSAGES: dict[str, tuple[str, str]] = {
    "NOT_FOUND": ("Không tìm thấy {what}.", "{what} was not found."),
    "FORBIDDEN": (
        "Bạn không có quyền thực hiện thao tác này.",
        "You are not allowed to do this.",
    ),
    "AUTHENTICATION_REQUIRED": (
        "Cần đăng nhập hoặc mã truy cập (API token).",
        "Sign-in or an API token is required.",
    ),
    "INVALID_REQUEST": ("Yêu cầu không hợp lệ: {detail}", "Invalid request: {detail}"),
    "CONFLICT": ("Xung đột dữ liệu: {detail}", "Conflicting data: {detail}"),
    "CSRF_FAILED": (
        "Phiên biểu mẫu đã hết hạn, vui lòng tải lại trang.",
        "The form has expired, please reload the page.",
    ),
    "SERVER_ERROR": (
        "Đã xảy ra lỗi hệ thống; sự cố đã được ghi lại.",
        "Something went wrong on our side; it has been logged.",
    ),
    "TOO_MANY_REQUESTS": ("Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests."),
    "PAYLOAD_TOO_LARGE": ("Tệp hoặc nội dung quá lớn.", "The upload is too large."),
}


class AccessReason:
    """A reason about access or existence, with the same JSON shape as a domain `Reason`."""

    def __init__(self, code: str, field: str | None = None, **params: str) -> None:
        self.code = code
        self.field = field
        self.params = params

    def message(self, lang: str = "vi") -> str:
        vi, en = ACCESS_MESSAGES[self.code]
        return (vi if lang == "vi" else en).format(**{"what": "", "detail": "", **self.params})

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "field": self.field,
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
            "params": dict(self.params),
        }


AnyReason = Reason | AccessReason


class RegistryError(Exception):
    """Base of the errors a service raises; `status` is the HTTP status the web layer uses."""

    status = 400

    def __init__(self, reasons: Sequence[AnyReason]) -> None:
        super().__init__(", ".join(str(r.code) for r in reasons))
        self.reasons = list(reasons)


class Refused(RegistryError):
    """The request breaks a rule; nothing was stored."""

    status = 422


class InvalidInput(RegistryError):
    """The request could not be read (a missing field, a bad date, an unknown field)."""

    status = 400


class NotFound(RegistryError):
    status = 404

    def __init__(self, what: str) -> None:
        super().__init__([AccessReason("NOT_FOUND", what=what)])


class Forbidden(RegistryError):
    status = 403

    def __init__(self, detail: str = "") -> None:
        super().__init__([AccessReason("FORBIDDEN", detail=detail)])


class Conflict(RegistryError):
    status = 409

    def __init__(self, reasons: Sequence[AnyReason]) -> None:
        super().__init__(reasons)

"""Reason codes of sign-in, second factor, passwords and account administration."""

from __future__ import annotations

from typing import Any

#: code -> (Vietnamese, English). Sign-in failures share one generic message on purpose:
#: the page must not tell whether a user name exists, is disabled or is locked.
MESSAGES: dict[str, tuple[str, str]] = {
    "LOGIN_FAILED": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "Wrong user name or password.",
    ),
    "TOO_MANY_ATTEMPTS": (
        "Quá nhiều lần đăng nhập không thành công từ địa chỉ này; vui lòng thử lại sau.",
        "Too many failed sign-ins from this address; please try again later.",
    ),
    "MFA_CODE_INVALID": (
        "Mã xác thực không đúng hoặc đã được dùng.",
        "The verification code is wrong or was already used.",
    ),
    "MFA_SESSION_MISSING": (
        "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.",
        "The sign-in has expired; please sign in again.",
    ),
    "PASSWORD_WRONG": (
        "Mật khẩu hiện tại không đúng.",
        "The current password is wrong.",
    ),
    "PASSWORDS_DIFFER": (
        "Hai lần nhập mật khẩu mới không khớp.",
        "The two new passwords differ.",
    ),
}


class AccountReason:
    """A reason about an account, with the JSON shape of `registry.errors.AccessReason`."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params

    def message(self, lang: str = "vi") -> str:
        vi, en = MESSAGES[self.code]
        return (vi if lang == "vi" else en).format(**self.params)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "field": self.field,
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
            "params": dict(self.params),
        }

    def __repr__(self) -> str:
        return f"AccountReason({self.code!r}, field={self.field!r})"

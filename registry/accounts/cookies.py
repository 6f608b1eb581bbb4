"""The cookies of a session: its id and the CSRF token bound to it, both SameSite=Strict."""

from __future__ import annotations

from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token

from registry.accounts.sessions import SessionPolicy


def session_cookie(policy: SessionPolicy, session_id: str) -> Cookie:
    """HttpOnly, Path=/, no Domain (a `__Host-` name requires it), no Max-Age: it ends with
    the browser as well as with the server-side session."""
    return Cookie(
        key=policy.cookie_name,
        value=session_id,
        path="/",
        httponly=True,
        secure=policy.secure_cookies,
        samesite="strict",
    )


def clearing_session_cookie(policy: SessionPolicy) -> Cookie:
    cookie = session_cookie(policy, "")
    cookie.max_age = 0
    return cookie


def new_csrf_token(policy: SessionPolicy) -> str:
    return generate_csrf_token(policy.csrf_secret)


def csrf_cookie(policy: SessionPolicy, token: str) -> Cookie:
    """Readable by scripts (htmx sends it back as `x-csrftoken`), like Litestar's own."""
    return Cookie(
        key=policy.csrf_cookie_name,
        value=token,
        path="/",
        httponly=False,
        secure=policy.secure_cookies,
        samesite="strict",
    )

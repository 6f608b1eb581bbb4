"""Helpers of the account tests: forms with their CSRF token, sign-in, a clock to move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
from litestar import Litestar
from litestar.exceptions import NoRouteMatchFoundException

from registry.accounts.sessions import session_policy
from registry.accounts.tables import StoreEntry, UserAccount

PASSWORD = "correct horse battery staple"
SESSION = "session"
CSRF = "csrftoken"


@dataclass
class FakeClock:
    """The time the session and sign-in code see; tests move it instead of sleeping."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def another_browser(
    client: httpx.AsyncClient, app: Litestar | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (its own cookies) on the same app, or on another app instance sharing
    the database (another worker), in the test's event loop like the `client` fixture."""
    app = app or client.app  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
    ) as other:
        other.app = app  # type: ignore[attr-defined]
        yield other


def set_cookie(client: httpx.AsyncClient, name: str, value: str) -> None:
    """Put a cookie in the browser as the server would have (host-only, replacing any other)."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain="testserver.local", path="/")


def landing(client: httpx.AsyncClient) -> str:
    """Where a sign-in without `next` leads: the leaders' dashboard when it exists."""
    try:
        return client.app.route_reverse("dashboard:index")
    except NoRouteMatchFoundException:
        return "/"


def use_clock(client: httpx.AsyncClient, clock: FakeClock) -> None:
    session_policy(client.app).clock = clock


async def csrf_token(client: httpx.AsyncClient, cookie: str = CSRF) -> str:
    """The CSRF token of this browser: from its cookie, fetched with a GET when missing."""
    if cookie not in client.cookies:
        await client.get("/login")
    return str(client.cookies[cookie])


async def post_form(
    client: httpx.AsyncClient, url: str, form: dict[str, str] | None = None, **kwargs: Any
) -> Any:
    data = {**(form or {}), "_csrf_token": await csrf_token(client)}
    return await client.post(url, data=data, follow_redirects=False, **kwargs)


async def sign_in(
    client: httpx.AsyncClient,
    username: str,
    password: str = PASSWORD,
    *,
    totp_secret: str | None = None,
    at: datetime | None = None,
    next_path: str = "",
) -> Any:
    """Password, then (when a secret is given) the TOTP code of the time `at`."""
    response = await post_form(
        client, "/login", {"username": username, "password": password, "next": next_path}
    )
    if totp_secret is None:
        return response
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/login/mfa"
    code = pyotp.TOTP(totp_secret).at(at or datetime.now(UTC))
    return await post_form(client, "/login/mfa", {"code": code})


async def give_second_factor(username: str) -> str:
    """Enrol an account's authenticator directly (as if done before); returns the secret."""
    secret = pyotp.random_base32()
    await UserAccount.update({UserAccount.mfa_secret: secret}).where(
        UserAccount.username == username
    )
    return secret


async def stored_sessions() -> int:
    return await StoreEntry.count().where(StoreEntry.namespace == "session")


async def is_signed_in(client: httpx.AsyncClient) -> bool:
    """Whether the browser's cookies open a page that needs a signed-in person."""
    response = await client.get("/account/password", follow_redirects=False)
    return response.status_code == 200

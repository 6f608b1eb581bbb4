"""Accounts and tokens for the security tests (the same shape as the grants API tests')."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest

from registry.accounts.services import create_account
from registry.accounts.tables import UserAccount
from registry.accounts.tokens import create_token

PASSWORD = "a long enough passphrase 2026"

TokenFor = Callable[..., Coroutine[Any, Any, dict[str, str]]]


@pytest.fixture
def token_for() -> TokenFor:
    """`await token_for("quantri", [("admin", "*")], scope="read")` gives the Authorization
    header of a new account's token."""

    async def make(
        username: str,
        roles: list[tuple[str, str]],
        official: str | None = None,
        scope: str = "write",
    ) -> dict[str, str]:
        await create_account(username, PASSWORD, roles, official_code=official)
        token = await create_token(username, scope)
        return {"Authorization": f"Bearer {token}"}

    return make


CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """The test client signed in through the login form (and TOTP); every form carries the
    session's CSRF token, and the page language is chosen per request."""

    client: Any

    @property
    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken"))

    async def post_form(
        self, url: str, fields: dict[str, Any], files: Any = None, language: str = "vi"
    ) -> Any:
        return await self.client.post(
            url,
            data={**fields, "_csrf_token": self.csrf},
            files=files,
            headers={"Accept": "text/html", "Accept-Language": language},
            follow_redirects=False,
        )


SignIn = Callable[..., Coroutine[Any, Any, Browser]]


@pytest.fixture
def sign_in(client: Any) -> SignIn:
    """`await sign_in("chutich", [("leader", "UBND-T")], official="CB-0001")`: a new account
    signs in through `/login` and, for leaders and admins, its second factor."""

    async def make(
        username: str, roles: list[tuple[str, str]], official: str | None = None
    ) -> Browser:
        await create_account(username, PASSWORD, roles, official_code=official)
        secret = pyotp.random_base32()
        await UserAccount.update({UserAccount.mfa_secret: secret}).where(
            UserAccount.username == username
        )
        client.cookies.clear()
        page = await client.get("/login")
        token = CSRF_INPUT.search(page.text)
        assert token is not None
        login = await client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "_csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert login.status_code == 303, login.text
        if login.headers["location"].startswith("/login/mfa"):
            done = await client.post(
                "/login/mfa",
                data={"code": pyotp.TOTP(secret).now(), "_csrf_token": Browser(client).csrf},
                follow_redirects=False,
            )
            assert done.status_code == 303, done.text
        return Browser(client)

    return make

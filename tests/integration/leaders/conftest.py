"""Signed-in browsers (plain form posts, no JavaScript) for the leaders' pages, on the demo."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest

from registry.accounts.services import create_account
from registry.accounts.tables import UserAccount
from registry.accounts.tokens import create_token

PASSWORD = "a long enough passphrase 2026"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """The test client with one signed-in session; `csrf` goes into every form posted."""

    client: Any
    csrf: str

    async def post_form(
        self,
        url: str,
        fields: dict[str, Any],
        files: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = {**fields, "_csrf_token": self.csrf}
        return await self.client.post(
            url, data=data, files=files, headers=headers or {}, follow_redirects=False
        )


def csrf_of(client: Any, html: str = "") -> str:
    found = CSRF_INPUT.search(html)
    return found.group(1) if found else str(client.cookies.get("csrftoken"))


@pytest.fixture
def sign_in(client: Any) -> Callable[..., Awaitable[Browser]]:
    """`await sign_in("chutich", [("leader", "UBND-T")], official="CB-0001")`: creates the
    account, posts the login form and, for leaders, a TOTP code."""

    async def make(
        username: str, roles: list[tuple[str, str]], official: str | None = None
    ) -> Browser:
        await create_account(username, PASSWORD, roles, official_code=official)
        secret = pyotp.random_base32()
        if any(role in ("leader", "admin") for role, _ in roles):
            await UserAccount.update({UserAccount.mfa_secret: secret}).where(
                UserAccount.username == username
            )
        page = await client.get("/login")
        login = await client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "next": "/dashboard",
                "_csrf_token": csrf_of(client, page.text),
            },
            follow_redirects=False,
        )
        assert login.status_code == 303, login.text
        if login.headers["location"].startswith("/login/mfa"):
            mfa = await client.get(login.headers["location"])
            done = await client.post(
                "/login/mfa",
                data={"code": pyotp.TOTP(secret).now(), "_csrf_token": csrf_of(client, mfa.text)},
                follow_redirects=False,
            )
            assert done.status_code == 303, done.text
        return Browser(client, str(client.cookies.get("csrftoken")))

    return make


@pytest.fixture
def api_token() -> Callable[..., Awaitable[dict[str, str]]]:
    """A write token of a new admin account, to set up grants through the JSON API."""

    async def make(username: str = "setup-admin") -> dict[str, str]:
        await create_account(username, PASSWORD, [("admin", "*")])
        return {"Authorization": f"Bearer {await create_token(username, 'write')}"}

    return make


def local_day(days_from_today: int) -> str:
    """A date as the form's date fields send it (local midnight in Asia/Ho_Chi_Minh)."""
    return (datetime.now(UTC) + timedelta(hours=7, days=days_from_today)).date().isoformat()

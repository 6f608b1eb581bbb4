"""Accounts and tokens for the security tests (the same shape as the grants API tests')."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from registry.accounts.services import create_account
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

"""Accounts and tokens for the grants API tests, on the demo province."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from registry.accounts.services import create_account
from registry.accounts.tokens import create_token

PASSWORD = "a long enough passphrase 2026"


@pytest.fixture
def token_for() -> Callable[..., Coroutine[Any, Any, dict[str, str]]]:
    """`await token_for("chutich", roles=[("leader", "UBND-T")], official="CB-0001")` gives
    the Authorization header of a new account's write token."""

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

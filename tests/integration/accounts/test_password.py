"""Changing one's password: the policy applies, other sessions end, this one stays."""

from __future__ import annotations

import httpx
import pytest
from structlog.testing import capture_logs

from registry.accounts.services import create_account
from tests.integration.accounts.helpers import (
    PASSWORD,
    another_browser,
    is_signed_in,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("database")

NEW = "a new and longer passphrase"


@pytest.fixture
async def clerk(database: str) -> str:
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    return "clerk"


async def test_changing_the_password_ends_the_other_sessions_but_not_this_one(
    client: httpx.AsyncClient, clerk: str
) -> None:
    async with another_browser(client) as other:
        await sign_in(other, clerk)
        await sign_in(client, clerk)
        form = {"current_password": PASSWORD, "password": NEW, "password_again": NEW}
        with capture_logs() as logs:
            response = await post_form(client, "/account/password", form)
        assert response.status_code == 303
        assert (
            next(e for e in logs if e["event"] == "password_changed")["other_sessions_ended"] == 1
        )
        assert await is_signed_in(client)
        assert not await is_signed_in(other)
        assert (await sign_in(other, clerk)).status_code == 400
        assert (await sign_in(other, clerk, NEW)).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "again", "code"),
    [
        ("not my password at all", NEW, NEW, "PASSWORD_WRONG"),
        (PASSWORD, NEW, NEW + "x", "PASSWORDS_DIFFER"),
        (PASSWORD, "short", "short", "PASSWORD_TOO_SHORT"),
        (PASSWORD, "clerk is my name ok", "clerk is my name ok", "PASSWORD_CONTAINS_USERNAME"),
    ],
)
async def test_a_password_change_is_refused_with_a_reason(
    client: httpx.AsyncClient, clerk: str, current: str, new: str, again: str, code: str
) -> None:
    await sign_in(client, clerk)
    form = {"current_password": current, "password": new, "password_again": again}
    response = await post_form(client, "/account/password", form)
    assert response.status_code == 422
    assert code in response.text
    await post_form(client, "/logout")
    assert (await sign_in(client, clerk)).status_code == 303


async def test_the_password_page_needs_a_signed_in_person(client: httpx.AsyncClient) -> None:
    browser = await client.get("/account/password", headers={"Accept": "text/html"})
    assert browser.status_code == 303
    assert browser.headers["location"] == "/login?next=%2Faccount%2Fpassword"
    assert (await client.get("/account/password")).status_code == 401

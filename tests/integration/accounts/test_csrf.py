"""CSRF: forms without the token are refused, the token is bound to the session, API writes
made with a session cookie need the `x-csrftoken` header."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from registry.accounts.services import create_account
from registry.accounts.tables import StoreEntry, UserAccount
from tests.integration.accounts.helpers import (
    CSRF,
    PASSWORD,
    SESSION,
    another_browser,
    csrf_token,
    is_signed_in,
    set_cookie,
    sign_in,
    stored_sessions,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
async def clerk(database: str) -> str:
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    return "clerk"


async def test_a_sign_in_without_the_csrf_token_is_refused_and_starts_nothing(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"username": clerk, "password": PASSWORD},
        headers={"accept": "application/json"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert response.json()["reasons"][0]["code"] == "CSRF_FAILED"
    assert await stored_sessions() == 0
    assert await StoreEntry.count() == 0


async def test_a_password_change_without_the_csrf_token_changes_nothing(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await sign_in(client, clerk)
    before = await UserAccount.select(UserAccount.password_hash).first()
    form = {
        "current_password": PASSWORD,
        "password": "another long passphrase",
        "password_again": "another long passphrase",
    }
    response = await client.post("/account/password", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "CSRF_FAILED" in response.text
    assert await UserAccount.select(UserAccount.password_hash).first() == before


async def test_a_csrf_token_from_another_browser_does_not_fit_this_session(
    client: httpx.AsyncClient, settings: Any, clerk: str
) -> None:
    await sign_in(client, clerk)
    async with another_browser(client) as attacker:
        foreign = await csrf_token(attacker)  # valid, signed by the app, but not this session's
    set_cookie(client, CSRF, foreign)
    response = await client.post("/logout", data={"_csrf_token": foreign}, follow_redirects=False)
    assert response.status_code == 403
    assert await is_signed_in(client)


async def test_an_api_write_with_a_session_cookie_needs_the_csrf_header(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await sign_in(client, clerk)
    refused = await client.post("/api/v1/check", json={})
    assert refused.status_code == 403
    assert refused.json()["reasons"][0]["code"] == "CSRF_FAILED"
    allowed = await client.post(
        "/api/v1/check", json={}, headers={"x-csrftoken": client.cookies[CSRF]}
    )
    assert allowed.status_code != 403


async def test_an_api_read_with_a_session_cookie_needs_no_header(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await sign_in(client, clerk)
    response = await client.get("/api/v1/accounts/me")
    assert response.status_code == 200
    assert response.json()["username"] == clerk
    assert SESSION in client.cookies

"""Signing in: generic refusals, logged failures, lockout per account, throttling per address."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from registry.accounts import throttle
from registry.accounts.services import create_account
from tests.integration.accounts.helpers import (
    PASSWORD,
    SESSION,
    FakeClock,
    is_signed_in,
    landing,
    sign_in,
    use_clock,
)

pytestmark = pytest.mark.usefixtures("database")

GENERIC_VI = "Tên đăng nhập hoặc mật khẩu không đúng"
GENERIC_EN = "Wrong user name or password"


@pytest.fixture
async def clerk(database: str) -> str:
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    return "clerk"


def failures(logs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in logs if entry["event"] == "login_failed"]


async def test_a_correct_password_signs_in_and_is_logged(
    client: httpx.AsyncClient, clerk: str
) -> None:
    with capture_logs() as logs:
        response = await sign_in(client, clerk)
    assert response.status_code == 303
    assert response.headers["location"] == landing(client)
    assert next(e for e in logs if e["event"] == "login")["username"] == clerk
    assert await is_signed_in(client)


async def test_a_wrong_password_gets_the_generic_message_and_is_logged_with_its_reason(
    client: httpx.AsyncClient, clerk: str
) -> None:
    with capture_logs() as logs:
        response = await sign_in(client, clerk, "wrong password, long enough")
    assert response.status_code == 400
    assert GENERIC_VI in response.text
    assert "LOGIN_FAILED" in response.text
    assert SESSION not in client.cookies
    [failure] = failures(logs)
    assert failure["username"] == clerk
    assert failure["reason"] == "wrong_password"
    assert failure["ip"]


async def test_an_unknown_user_gets_exactly_the_same_answer(
    client: httpx.AsyncClient, clerk: str
) -> None:
    headers = {"accept-language": "en"}
    client.headers.update(headers)
    wrong = await sign_in(client, clerk, "wrong password, long enough")
    with capture_logs() as logs:
        unknown = await sign_in(client, "nobody", "wrong password, long enough")
    assert unknown.status_code == wrong.status_code == 400
    assert GENERIC_EN in unknown.text
    assert unknown.text.replace("nobody", clerk) == wrong.text
    assert failures(logs)[0]["reason"] == "unknown_user"


async def test_five_failures_lock_the_account_for_15_minutes_behind_the_generic_message(
    client: httpx.AsyncClient, clerk: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    for _ in range(throttle.MAX_ACCOUNT_FAILURES):
        await sign_in(client, clerk, "wrong password, long enough")
    with capture_logs() as logs:
        locked = await sign_in(client, clerk)  # the right password, too late
    assert locked.status_code == 400
    assert GENERIC_VI in locked.text
    assert failures(logs)[0]["reason"] == "locked"
    clock.advance(minutes=14)
    assert (await sign_in(client, clerk)).status_code == 400
    clock.advance(minutes=1, seconds=1)
    assert (await sign_in(client, clerk)).status_code == 303


async def test_unknown_user_names_lock_like_real_ones(
    client: httpx.AsyncClient, database: str
) -> None:
    for _ in range(throttle.MAX_ACCOUNT_FAILURES):
        await sign_in(client, "ghost", "wrong password, long enough")
    with capture_logs() as logs:
        await sign_in(client, "ghost", "wrong password, long enough")
    assert failures(logs)[0]["reason"] == "locked"


async def test_many_failures_from_one_address_are_throttled_and_logged(
    client: httpx.AsyncClient, clerk: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    for attempt in range(throttle.MAX_ADDRESS_FAILURES):
        await sign_in(client, f"guess{attempt}", "wrong password, long enough")
    with capture_logs() as logs:
        throttled = await sign_in(client, clerk)
    assert throttled.status_code == 429
    assert "TOO_MANY_ATTEMPTS" in throttled.text
    assert failures(logs)[0]["reason"] == "address_throttled"
    clock.advance(minutes=16)
    assert (await sign_in(client, clerk)).status_code == 303


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/ledger?q=x", "/ledger?q=x"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("/\\evil.example", ""),
    ],
)
async def test_after_sign_in_only_a_local_next_page_is_followed(
    client: httpx.AsyncClient, clerk: str, next_path: str, expected: str
) -> None:
    response = await sign_in(client, clerk, next_path=next_path)
    assert response.headers["location"] == (expected or landing(client))


async def test_the_login_page_works_without_javascript(client: httpx.AsyncClient) -> None:
    page = await client.get("/login?next=/ledger")
    assert page.status_code == 200
    assert 'method="post" action="/login"' in page.text
    assert 'name="_csrf_token"' in page.text
    assert 'type="submit"' in page.text
    assert 'value="/ledger"' in page.text

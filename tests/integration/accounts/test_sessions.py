"""Browser sessions: rotated at sign-in, ended at sign-out, idle and absolute limits, cookies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from registry.accounts.services import create_account
from registry.app import create_app
from registry.settings import settings_from_env
from tests.integration.accounts.helpers import (
    SESSION,
    FakeClock,
    another_browser,
    is_signed_in,
    post_form,
    set_cookie,
    sign_in,
    stored_sessions,
    use_clock,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
async def clerk(database: str) -> str:
    await create_account("clerk", "correct horse battery staple", [("registrar", "*")])
    return "clerk"


async def test_signing_in_gives_a_new_session_id_and_never_adopts_the_one_presented(
    client: httpx.AsyncClient, clerk: str
) -> None:
    planted = "A" * 43  # a well-formed id an attacker chose
    set_cookie(client, SESSION, planted)
    response = await sign_in(client, clerk)
    assert response.status_code == 303
    issued = client.cookies[SESSION]
    assert issued != planted
    assert await is_signed_in(client)
    set_cookie(client, SESSION, planted)
    assert not await is_signed_in(client)


async def test_a_forged_session_cookie_is_ignored_and_cleared(
    client: httpx.AsyncClient,
) -> None:
    set_cookie(client, SESSION, "forged-" + "x" * 36)
    response = await client.get("/")
    assert response.status_code == 200
    cleared = [v for v in response.headers.get_list("set-cookie") if v.startswith(f"{SESSION}=")]
    assert cleared, response.headers
    assert "Max-Age=0" in cleared[0]
    assert SESSION not in client.cookies
    assert "Sign out" not in response.text
    assert "Đăng xuất" not in response.text


async def test_a_new_session_is_issued_again_when_the_signed_in_user_signs_in_again(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await sign_in(client, clerk)
    first = client.cookies[SESSION]
    await sign_in(client, clerk)
    assert client.cookies[SESSION] != first
    assert await stored_sessions() == 1


async def test_signing_out_deletes_the_session_on_the_server(
    client: httpx.AsyncClient, clerk: str
) -> None:
    await sign_in(client, clerk)
    old = client.cookies[SESSION]
    response = await post_form(client, "/logout")
    assert response.status_code == 303
    assert await stored_sessions() == 0
    set_cookie(client, SESSION, old)  # replay the cookie of the ended session
    page = await client.get("/", headers={"accept-language": "en"})
    assert "Sign in" in page.text
    assert "Sign out" not in page.text
    assert not await is_signed_in(client)


async def test_a_session_idle_for_30_minutes_has_ended(
    client: httpx.AsyncClient, clerk: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    await sign_in(client, clerk)
    clock.advance(minutes=29)
    assert await is_signed_in(client)
    clock.advance(minutes=29)  # 29 minutes after the last request
    assert await is_signed_in(client)
    clock.advance(minutes=30)
    assert not await is_signed_in(client)
    assert await stored_sessions() == 0


async def test_a_session_ends_12_hours_after_sign_in_however_busy(
    client: httpx.AsyncClient, clerk: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    await sign_in(client, clerk)
    for _ in range(11 * 4 + 3):  # a request every 15 minutes for 11 h 45 min
        clock.advance(minutes=15)
        assert await is_signed_in(client)
    clock.advance(minutes=15)
    assert not await is_signed_in(client)


async def test_the_session_cookie_is_httponly_samesite_strict_and_host_wide(
    client: httpx.AsyncClient, clerk: str
) -> None:
    response = await sign_in(client, clerk)
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith(f"{SESSION}="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "Path=/" in cookie
    assert "domain" not in attributes
    assert "max-age" not in attributes
    assert len(client.cookies[SESSION]) == 43  # 32 random bytes, URL-safe base64


async def test_with_secure_cookies_the_names_carry_the_host_prefix_and_secure(
    database: str, database_url: str, tmp_path: Any, clerk: str
) -> None:
    settings = settings_from_env(
        {
            "REGISTRY_DATA_DIR": str(tmp_path / "secure"),
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_ALLOWED_HOSTS": "testserver.local",
            "REGISTRY_SECURE_COOKIES": "true",
        }
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="https://testserver.local"
    ) as client:
        page = await client.get("/login")
        csrf = next(v for v in page.headers.get_list("set-cookie") if "csrftoken" in v)
        assert csrf.startswith("__Host-csrftoken=")
        assert "Secure" in csrf
        assert "samesite=strict" in csrf.lower()
        assert "Path=/" in csrf
        token = client.cookies["__Host-csrftoken"]
        response = await client.post(
            "/login",
            data={
                "username": clerk,
                "password": "correct horse battery staple",
                "_csrf_token": token,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookies = response.headers.get_list("set-cookie")
        session = next(v for v in cookies if v.startswith("__Host-session="))
        assert "Secure" in session
        assert "HttpOnly" in session
        assert "samesite=strict" in session.lower()
        assert "Path=/" in session
        assert "Domain" not in session
        assert any(v.startswith("__Host-csrftoken=") and "Secure" in v for v in cookies)


async def test_a_session_started_on_one_worker_is_valid_on_another(
    client: httpx.AsyncClient, settings: Any, clerk: str
) -> None:
    await sign_in(client, clerk)
    other_worker = create_app(settings)
    async with another_browser(client, other_worker) as other:
        set_cookie(other, SESSION, client.cookies[SESSION])
        assert await is_signed_in(other)

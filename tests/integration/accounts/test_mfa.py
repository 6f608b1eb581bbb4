"""Second factor: enrolment with a QR code, TOTP codes used once, recovery codes used once."""

from __future__ import annotations

import re

import httpx
import pyotp
import pytest

from registry.accounts.services import create_account
from registry.accounts.tables import UserAccount
from tests.integration.accounts.helpers import (
    PASSWORD,
    SESSION,
    FakeClock,
    another_browser,
    give_second_factor,
    is_signed_in,
    landing,
    post_form,
    sign_in,
    use_clock,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
async def leader(database: str) -> str:
    await create_account("leader", PASSWORD, [("leader", "*")])
    return "leader"


async def enrol(client: httpx.AsyncClient, clock: FakeClock, username: str) -> list[str]:
    """Sign in for the first time, scan the secret, confirm; returns the recovery codes."""
    first = await sign_in(client, username)
    assert first.headers["location"] == "/login/mfa/enrol"
    page = await client.get("/login/mfa/enrol")
    secret = re.search(r"secret=([A-Z2-7]+)", page.text)
    assert secret is not None
    code = pyotp.TOTP(secret.group(1)).at(clock.now)
    confirmed = await post_form(client, "/login/mfa/enrol", {"code": code})
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/account/recovery-codes"
    shown = await client.get("/account/recovery-codes")
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", shown.text)


async def test_a_leader_without_a_second_factor_must_enrol_before_being_signed_in(
    client: httpx.AsyncClient, leader: str
) -> None:
    response = await sign_in(client, leader)
    assert response.status_code == 303
    assert response.headers["location"] == "/login/mfa/enrol"
    assert not await is_signed_in(client)  # pending: the actor is still PUBLIC
    page = await client.get("/login/mfa/enrol")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "<img" not in page.text
    assert "otpauth://totp/" in page.text


async def test_enrolment_rotates_the_session_and_shows_ten_recovery_codes_once(
    client: httpx.AsyncClient, leader: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    await sign_in(client, leader)
    pending_id = client.cookies[SESSION]
    codes = await enrol(client, clock, leader)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.cookies[SESSION] != pending_id
    assert await is_signed_in(client)
    again = await client.get("/account/recovery-codes")
    assert not re.findall(r"<code>[0-9a-f]{5}-[0-9a-f]{5}</code>", again.text)
    stored = await UserAccount.select(UserAccount.recovery_codes).first()
    assert stored is not None
    assert all(code not in stored["recovery_codes"] for code in codes)
    assert stored["recovery_codes"].count("$argon2id$") == 10


async def test_a_wrong_enrolment_code_keeps_the_account_without_a_secret(
    client: httpx.AsyncClient, leader: str
) -> None:
    await sign_in(client, leader)
    response = await post_form(client, "/login/mfa/enrol", {"code": "000000"})
    assert response.status_code == 400
    assert "MFA_CODE_INVALID" in response.text
    assert await UserAccount.select(UserAccount.mfa_secret).first() == {"mfa_secret": None}


async def test_sign_in_with_a_totp_code_and_the_same_code_is_not_accepted_twice(
    client: httpx.AsyncClient, leader: str
) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    secret = await give_second_factor(leader)
    password_step = await sign_in(client, leader)
    pending_id = client.cookies[SESSION]
    assert password_step.headers["location"] == "/login/mfa"
    assert not await is_signed_in(client)
    code = pyotp.TOTP(secret).at(clock.now)
    done = await post_form(client, "/login/mfa", {"code": code})
    assert done.status_code == 303
    assert done.headers["location"] == landing(client)
    assert client.cookies[SESSION] != pending_id
    assert await is_signed_in(client)

    async with another_browser(client) as thief:
        await sign_in(thief, leader)
        replay = await post_form(thief, "/login/mfa", {"code": code})
        assert replay.status_code == 400
        assert "MFA_CODE_INVALID" in replay.text
        assert not await is_signed_in(thief)


async def test_a_recovery_code_signs_in_once(client: httpx.AsyncClient, leader: str) -> None:
    clock = FakeClock()
    use_clock(client, clock)
    codes = await enrol(client, clock, leader)
    await post_form(client, "/logout")
    await sign_in(client, leader)
    used = await post_form(client, "/login/mfa", {"code": codes[3].upper()})
    assert used.status_code == 303
    assert await is_signed_in(client)
    await post_form(client, "/logout")
    await sign_in(client, leader)
    again = await post_form(client, "/login/mfa", {"code": codes[3]})
    assert again.status_code == 400
    assert not await is_signed_in(client)
    other = await post_form(client, "/login/mfa", {"code": codes[4]})
    assert other.status_code == 303


async def test_an_account_with_a_secret_is_asked_for_a_code_whatever_its_roles(
    client: httpx.AsyncClient, database: str
) -> None:
    await create_account("reader", PASSWORD, [("inspector", "*")])
    await give_second_factor("reader")
    response = await sign_in(client, "reader")
    assert response.headers["location"] == "/login/mfa"
    assert not await is_signed_in(client)


async def test_without_a_pending_sign_in_the_code_pages_send_back_to_sign_in(
    client: httpx.AsyncClient,
) -> None:
    for page in ("/login/mfa", "/login/mfa/enrol"):
        response = await client.get(page, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
    refused = await post_form(client, "/login/mfa", {"code": "123456"})
    assert refused.status_code == 400
    assert "MFA_SESSION_MISSING" in refused.text

"""Administration: accounts, roles per unit, disabling, ending sessions, API tokens; all audited."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from registry.accounts.services import create_account
from registry.accounts.tables import ApiToken, RoleAssignment, UserAccount
from tests.integration.accounts.helpers import (
    PASSWORD,
    FakeClock,
    another_browser,
    give_second_factor,
    is_signed_in,
    post_form,
    sign_in,
    use_clock,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
async def admin(client: httpx.AsyncClient, database: str) -> httpx.AsyncClient:
    """A browser signed in as an administrator (password and TOTP)."""
    clock = FakeClock()
    use_clock(client, clock)
    await create_account("root", PASSWORD, [("admin", "*")])
    secret = await give_second_factor("root")
    response = await sign_in(client, "root", totp_secret=secret, at=clock.now)
    assert response.status_code == 303
    return client


def audited(logs: list[dict[str, Any]], action: str) -> dict[str, Any]:
    [entry] = [e for e in logs if e.get("logger") == "audit" and e.get("action") == action]
    return entry


async def test_an_admin_creates_an_account_with_a_role_in_a_unit_and_it_is_audited(
    admin: httpx.AsyncClient,
) -> None:
    form = {
        "username": "nguyen.van.a",
        "password": "mot hai ba bon nam",
        "role": "inspector",
        "unit": "*",
    }
    with capture_logs() as logs:
        created = await post_form(admin, "/admin/users", form)
    assert created.status_code == 303
    assert created.headers["location"] == "/admin/users/nguyen.van.a"
    entry = audited(logs, "account_created")
    assert entry["actor"] == "root"
    assert entry["target"] == "nguyen.van.a"
    listing = await admin.get("/admin/users")
    assert "nguyen.van.a" in listing.text
    async with another_browser(admin) as person:
        assert (await sign_in(person, "nguyen.van.a", "mot hai ba bon nam")).status_code == 303
        assert (await person.get("/api/v1/accounts/me")).json()["roles"] == [
            {"role": "inspector", "unit": "*"}
        ]


async def test_an_admin_assigns_and_removes_a_role(admin: httpx.AsyncClient) -> None:
    await create_account("clerk", PASSWORD)
    with capture_logs() as logs:
        added = await post_form(
            admin, "/admin/users/clerk/roles", {"role": "registrar", "unit": "*"}
        )
    assert added.status_code == 303
    assert audited(logs, "role_assigned")["target"] == "clerk"
    assert await RoleAssignment.count().where(RoleAssignment.role == "registrar") == 1
    with capture_logs() as logs:
        await post_form(
            admin, "/admin/users/clerk/roles/remove", {"role": "registrar", "unit": "*"}
        )
    assert audited(logs, "role_removed")["actor"] == "root"
    assert await RoleAssignment.count().where(RoleAssignment.role == "registrar") == 0


async def test_a_weak_password_or_unknown_unit_is_refused_with_reason_codes(
    admin: httpx.AsyncClient,
) -> None:
    form = {"username": "clerk", "password": "short", "role": "leader", "unit": "NO-SUCH-UNIT"}
    response = await post_form(admin, "/admin/users", form)
    assert response.status_code == 422
    assert "PASSWORD_TOO_SHORT" in response.text
    assert "UNKNOWN_REFERENCE" in response.text
    assert await UserAccount.count() == 1


async def test_the_admin_pages_are_refused_to_other_roles_and_to_the_public(
    client: httpx.AsyncClient, database: str
) -> None:
    signed_out = await client.get("/admin/users", headers={"Accept": "text/html"})
    assert (signed_out.status_code, signed_out.headers["location"]) == (
        303,
        "/login?next=%2Fadmin%2Fusers",
    )
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    await sign_in(client, "clerk")
    assert (await client.get("/admin/users")).status_code == 403
    refused = await post_form(client, "/admin/users", {"username": "x", "password": PASSWORD * 2})
    assert refused.status_code == 403
    assert await UserAccount.count() == 1


async def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(
    admin: httpx.AsyncClient,
) -> None:
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    async with another_browser(admin) as clerk:
        await sign_in(clerk, "clerk")
        assert await is_signed_in(clerk)
        with capture_logs() as logs:
            response = await post_form(admin, "/admin/users/clerk/active", {"active": "0"})
        assert response.status_code == 303
        assert audited(logs, "account_disabled")["target"] == "clerk"
        assert not await is_signed_in(clerk)
        refused = await sign_in(clerk, "clerk")
        assert refused.status_code == 400
        assert "LOGIN_FAILED" in refused.text
        await post_form(admin, "/admin/users/clerk/active", {"active": "1"})
        assert (await sign_in(clerk, "clerk")).status_code == 303


async def test_an_admin_ends_every_session_of_a_user(admin: httpx.AsyncClient) -> None:
    await create_account("clerk", PASSWORD, [("registrar", "*")])
    async with another_browser(admin) as laptop, another_browser(admin) as phone:
        await sign_in(laptop, "clerk")
        await sign_in(phone, "clerk")
        with capture_logs() as logs:
            await post_form(admin, "/admin/users/clerk/sessions/end")
        assert audited(logs, "sessions_ended")["sessions_ended"] == 2
        assert not await is_signed_in(laptop)
        assert not await is_signed_in(phone)
    assert await is_signed_in(admin)


async def test_an_api_token_is_shown_once_works_as_bearer_and_stops_when_revoked(
    admin: httpx.AsyncClient,
) -> None:
    await create_account("portal", PASSWORD)
    with capture_logs() as logs:
        created = await post_form(
            admin, "/admin/users/portal/tokens", {"scope": "read", "name": "portal"}
        )
    assert created.status_code == 303
    assert audited(logs, "token_created")["target"] == "portal"
    page = await admin.get(created.headers["location"])
    token = re.search(r"drg_[A-Za-z0-9_\-]+", page.text)
    assert token is not None
    assert token.group(0) not in (await admin.get(created.headers["location"])).text

    async with another_browser(admin) as machine:
        bearer = {"authorization": f"Bearer {token.group(0)}"}
        me = await machine.get("/api/v1/accounts/me", headers=bearer)
        assert me.status_code == 200
        assert me.json() == {"username": "portal", "roles": [], "token_scope": "read"}
        [row] = await ApiToken.select(ApiToken.id).where(ApiToken.name == "portal")
        with capture_logs() as logs:
            await post_form(admin, f"/admin/users/portal/tokens/{row['id']}/revoke")
        assert audited(logs, "token_revoked")["actor"] == "root"
        assert (await machine.get("/api/v1/accounts/me", headers=bearer)).status_code == 401


async def test_a_bearer_token_write_needs_no_csrf_token(admin: httpx.AsyncClient) -> None:
    await create_account("portal", PASSWORD)
    await post_form(admin, "/admin/users/portal/tokens", {"scope": "write", "name": "w"})
    page = await admin.get("/admin/users/portal")
    token = re.search(r"drg_[A-Za-z0-9_\-]+", page.text)
    assert token is not None
    async with another_browser(admin) as machine:
        response = await machine.post(
            "/api/v1/check", json={}, headers={"authorization": f"Bearer {token.group(0)}"}
        )
        assert response.status_code not in (401, 403)


@pytest.mark.parametrize("read_max_age", [None, 3600.0])
async def test_a_token_follows_its_account_at_once_when_a_role_goes_or_the_account_is_disabled(
    admin: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, read_max_age: float | None
) -> None:
    """Workers keep token holders for a policy version; these changes move it. Made through
    this worker, they are seen at once however long reads may otherwise reuse the version
    (3600 s: only the worker knowing its own change can pass)."""
    from registry.accounts import authentication
    from registry.accounts.tokens import create_token

    if read_max_age is not None:
        monkeypatch.setattr(authentication, "READ_MAX_AGE", read_max_age)

    await create_account("portal", PASSWORD, [("inspector", "*")])
    token = await create_token("portal", "read", "portal")
    async with another_browser(admin) as machine:
        bearer = {"authorization": f"Bearer {token}"}
        assert (await machine.get("/api/v1/coverage", headers=bearer)).status_code == 200
        removed = await post_form(
            admin, "/admin/users/portal/roles/remove", {"role": "inspector", "unit": "*"}
        )
        assert removed.status_code == 303
        assert (await machine.get("/api/v1/coverage", headers=bearer)).status_code == 403
        await post_form(admin, "/admin/users/portal/active", {"active": "0"})
        assert (await machine.get("/api/v1/accounts/me", headers=bearer)).status_code == 401

"""`registry create-user --admin` is the only way to a first account: no default exists."""

from __future__ import annotations

import httpx
import pyotp
import pytest

from registry.accounts.tables import UserAccount
from tests.conftest import run_cli
from tests.integration.accounts.helpers import PASSWORD, landing, post_form, sign_in


async def test_a_fresh_database_has_no_account(database: str) -> None:
    assert await UserAccount.count() == 0


@pytest.mark.slow
async def test_create_user_admin_reads_the_password_from_stdin_and_the_admin_can_sign_in(
    client: httpx.AsyncClient, database_url: str
) -> None:
    result = run_cli(
        "create-user",
        "quantri",
        "--admin",
        "--password-stdin",
        database_url=database_url,
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    response = await sign_in(client, "quantri")
    assert response.headers["location"] == "/login/mfa/enrol"  # admins must enrol first
    page = await client.get("/login/mfa/enrol")
    secret = page.text.split("secret=", 1)[1].split("&", 1)[0]
    done = await post_form(client, "/login/mfa/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303
    assert (await client.get("/admin/users")).status_code == 200
    assert landing(client)


async def test_create_user_refuses_a_weak_password(database_url: str, database: str) -> None:
    result = run_cli(
        "create-user",
        "quantri",
        "--admin",
        "--password-stdin",
        database_url=database_url,
        stdin="short\n",
    )
    assert result.returncode != 0
    assert await UserAccount.count() == 0

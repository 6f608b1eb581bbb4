"""Helpers of the organisation tests: the demo province imported kind by kind, accounts."""

from __future__ import annotations

from typing import Any

from registry.demo_province import DEMO_DIR
from registry.importing.service import import_bytes

DEMO_KINDS = ("units", "positions", "officials", "instruments", "assignments", "powers", "grants")


def demo_file(kind: str) -> tuple[bytes, str]:
    for suffix in (".csv", ".json"):
        path = DEMO_DIR / f"{kind}{suffix}"
        if path.exists():
            return path.read_bytes(), path.name
    raise FileNotFoundError(kind)


async def load_demo_kinds(kinds: tuple[str, ...] = DEMO_KINDS) -> None:
    for kind in kinds:
        content, name = demo_file(kind)
        report = await import_bytes(kind, content, name)
        assert not report.problems, [str(p) for p in report.problems[:5]]


async def token_for(username: str, roles: list[tuple[str, str]], scope: str = "write") -> str:
    from registry.accounts.services import create_account
    from registry.accounts.tokens import create_token

    await create_account(username, "a long enough passphrase 42", roles)
    return await create_token(username, scope, "tests")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def csrf_headers(client: Any, token: str) -> dict[str, str]:
    """Headers for a browser-form POST: the CSRF cookie's value and the bearer token."""
    await client.get("/units")
    value = client.cookies.get("csrftoken") or ""
    return {**bearer(token), "x-csrftoken": value}

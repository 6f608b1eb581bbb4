"""API tokens for machine clients: shown once, stored as a SHA-256 hash, scoped."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from registry.accounts.keys import account_pk, token_pk
from registry.accounts.tables import ApiToken, UserAccount
from registry.authz.projection import bump_policy_version
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import NotFound, Refused

SCOPES = ("check", "read", "write")
#: What each scope allows: write implies read and check; read implies check.
SCOPE_INCLUDES = {
    "check": {"check"},
    "read": {"check", "read"},
    "write": {"check", "read", "write"},
}
PREFIX = "drg_"


@dataclass(frozen=True, slots=True)
class TokenHolder:
    account_id: int
    username: str
    scope: str
    token_id: int


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_token(username: str, scope: str, name: str = "") -> str:
    """Create a token for an account and return it; only its hash is stored."""
    if scope not in SCOPES:
        raise Refused([Reason.of(ReasonCode.INVALID_CHOICE, "scope", value=scope)])
    account = (
        await UserAccount.select(account_pk)
        .where(
            (UserAccount.username == username.strip().lower()) & (UserAccount.active == True)  # noqa: E712
        )
        .first()
    )
    if account is None:
        raise NotFound("account")
    token = PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        await ApiToken.insert(
            ApiToken(
                account=account["id"], name=name[:80], token_hash=token_digest(token), scope=scope
            )
        )
    return token


async def holder_of(token: str) -> TokenHolder | None:
    """The account behind a bearer token if known, unrevoked, and its account active."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = (
        await ApiToken.select(
            token_pk,
            ApiToken.scope,
            ApiToken.account.id.as_alias("account_id"),
            ApiToken.account.username.as_alias("username"),
            ApiToken.account.active.as_alias("active"),
        )
        .where((ApiToken.token_hash == token_digest(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None or not row["active"]:
        return None
    return TokenHolder(row["account_id"], row["username"], row["scope"], row["id"])


async def revoke_token(token_id: int) -> None:
    async with write_transaction():
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(token_pk == token_id)
        await bump_policy_version([])  # workers keep token holders per policy version

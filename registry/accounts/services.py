"""Use cases for accounts: create them, their roles per unit, tokens, sessions, passwords."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

from registry.accounts.actor import Actor
from registry.accounts.keys import account_pk, official_pk, token_pk
from registry.accounts.passwords import hash_password, password_problems, verify_password
from registry.accounts.reasons import AccountReason
from registry.accounts.sessions import end_sessions_of, utc_now
from registry.accounts.tables import ApiToken, RoleAssignment, UserAccount
from registry.accounts.tokens import create_token, revoke_token
from registry.authz.projection import bump_policy_version
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import Conflict, NotFound, Refused
from registry.organisation.tables import Official, Unit

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,79}$")
ROLES = ("admin", "registrar", "leader", "inspector")


def log() -> Any:
    """A new proxy per call, so the configuration of the moment applies (tests capture it)."""
    return structlog.get_logger("registry.accounts")


@dataclass(frozen=True, slots=True)
class AccountSummary:
    id: int
    username: str
    roles: tuple[tuple[str, str], ...]


async def create_account(
    username: str,
    password: str,
    roles: Sequence[tuple[str, str]] = (),
    official_code: str | None = None,
    language: str = "vi",
) -> AccountSummary:
    """Create an account; refuses weak passwords, unknown roles, units and officials."""
    username = username.strip().lower()
    reasons: list[Reason] = []
    if not USERNAME.match(username):
        reasons.append(Reason.of(ReasonCode.INVALID_CODE, "username", value=username[:80]))
    reasons += password_problems(password, username)
    for role, unit in roles:
        if role not in ROLES:
            reasons.append(Reason.of(ReasonCode.INVALID_CHOICE, "role", value=role))
        elif unit != "*" and not await Unit.exists().where(Unit.code == unit):
            reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "unit", value=unit))
    official_id = None
    if official_code:
        official = await Official.select(official_pk).where(Official.code == official_code).first()
        if official is None:
            reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "official", value=official_code))
        else:
            official_id = official["id"]
    if language not in ("vi", "en"):
        reasons.append(Reason.of(ReasonCode.INVALID_CHOICE, "language", value=language))
    if reasons:
        raise Refused(reasons)
    async with write_transaction():
        if await UserAccount.exists().where(UserAccount.username == username):
            raise Conflict(
                [Reason.of(ReasonCode.DUPLICATE_IN_FILE, "username", value=username, line=0)]
            )
        rows = await UserAccount.insert(
            UserAccount(
                username=username,
                password_hash=hash_password(password),
                official=official_id,
                language=language,
            )
        )
        account_id = rows[0]["id"]
        for role, unit in dict.fromkeys(roles):
            await RoleAssignment.insert(
                RoleAssignment(account=account_id, role=role, unit_code=unit)
            )
    return AccountSummary(account_id, username, tuple(dict.fromkeys(roles)))


def audit() -> Any:
    return structlog.get_logger("audit")


def audit_action(actor: Actor, action: str, target: str, **details: Any) -> None:
    """Every administrative change, with who did it and to whom."""
    audit().info(
        action, logger="audit", actor=actor.username, action=action, target=target, **details
    )


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One account as the admin list shows it."""

    id: int
    username: str
    active: bool
    roles: tuple[tuple[str, str], ...]
    official_code: str | None
    mfa_enrolled: bool
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    name: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccountDetail:
    account: AccountRow
    tokens: tuple[TokenRow, ...]


async def list_accounts() -> list[AccountRow]:
    rows = await UserAccount.select(
        account_pk,
        UserAccount.username,
        UserAccount.active,
        UserAccount.official.code.as_alias("official_code"),
        UserAccount.mfa_secret,
        UserAccount.locked_until,
        UserAccount.created_at,
    ).order_by(UserAccount.username)
    roles: dict[int, list[tuple[str, str]]] = {}
    for role in await RoleAssignment.select(
        RoleAssignment.account, RoleAssignment.role, RoleAssignment.unit_code
    ).order_by(RoleAssignment.role):
        roles.setdefault(role["account"], []).append((role["role"], role["unit_code"]))
    return [
        AccountRow(
            id=row["id"],
            username=row["username"],
            active=row["active"],
            roles=tuple(roles.get(row["id"], ())),
            official_code=row["official_code"],
            mfa_enrolled=bool(row["mfa_secret"]),
            locked_until=row["locked_until"],
            created_at=row["created_at"],
        )
        for row in rows
    ]


async def _account_id(username: str) -> int:
    row = (
        await UserAccount.select(account_pk)
        .where(UserAccount.username == username.strip().lower())
        .first()
    )
    if row is None:
        raise NotFound("account")
    return int(row["id"])


async def account_detail(username: str) -> AccountDetail:
    account_id = await _account_id(username)
    account = next(row for row in await list_accounts() if row.id == account_id)
    tokens = (
        await ApiToken.select(
            token_pk,
            ApiToken.name,
            ApiToken.scope,
            ApiToken.created_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
        )
        .where(ApiToken.account == account_id)
        .order_by(token_pk, ascending=False)
    )
    return AccountDetail(account, tuple(TokenRow(**token) for token in tokens))


async def create_account_by(
    actor: Actor,
    username: str,
    password: str,
    roles: Sequence[tuple[str, str]] = (),
    official_code: str | None = None,
    language: str = "vi",
) -> AccountSummary:
    account = await create_account(username, password, roles, official_code or None, language)
    audit_action(actor, "account_created", account.username, roles=list(account.roles))
    return account


async def set_active(actor: Actor, username: str, active: bool) -> None:
    """Disable or enable an account; disabling ends its sessions, enabling lifts a lock."""
    account_id = await _account_id(username)
    if not active and account_id == actor.account_id:
        raise Refused([Reason.of(ReasonCode.INVALID_CHOICE, "active", value="self")])
    async with write_transaction():
        changes: dict[Any, Any] = {UserAccount.active: active}
        if active:
            changes.update({UserAccount.failed_logins: 0, UserAccount.locked_until: None})
        await UserAccount.update(changes).where(account_pk == account_id)
        await bump_policy_version([])  # its API tokens stop (or start) working on every worker
    ended = 0 if active else await end_sessions_of(account_id)
    audit_action(
        actor, "account_enabled" if active else "account_disabled", username, sessions_ended=ended
    )


async def _check_role(role: str, unit: str) -> None:
    reasons: list[Reason] = []
    if role not in ROLES:
        reasons.append(Reason.of(ReasonCode.INVALID_CHOICE, "role", value=role[:40]))
    if not unit:
        reasons.append(Reason.of(ReasonCode.FIELD_REQUIRED, "unit"))
    elif unit != "*" and not await Unit.exists().where(Unit.code == unit):
        reasons.append(Reason.of(ReasonCode.UNKNOWN_REFERENCE, "unit", value=unit[:40]))
    if reasons:
        raise Refused(reasons)


async def assign_role(actor: Actor, username: str, role: str, unit: str) -> None:
    """Give a role in a unit subtree (`*` for everywhere); giving it twice changes nothing."""
    unit = unit.strip() or "*"
    await _check_role(role, unit)
    account_id = await _account_id(username)
    async with write_transaction():
        held = await RoleAssignment.exists().where(
            (RoleAssignment.account == account_id)
            & (RoleAssignment.role == role)
            & (RoleAssignment.unit_code == unit)
        )
        if not held:
            await RoleAssignment.insert(
                RoleAssignment(account=account_id, role=role, unit_code=unit)
            )
            await bump_policy_version([])
    audit_action(actor, "role_assigned", username, role=role, unit=unit)


async def remove_role(actor: Actor, username: str, role: str, unit: str) -> None:
    account_id = await _account_id(username)
    if account_id == actor.account_id and role == "admin":
        raise Refused([Reason.of(ReasonCode.INVALID_CHOICE, "role", value="self")])
    async with write_transaction():
        await RoleAssignment.delete().where(
            (RoleAssignment.account == account_id)
            & (RoleAssignment.role == role)
            & (RoleAssignment.unit_code == unit)
        )
        await bump_policy_version([])
    audit_action(actor, "role_removed", username, role=role, unit=unit)


async def end_sessions(actor: Actor, username: str) -> int:
    ended = await end_sessions_of(await _account_id(username))
    audit_action(actor, "sessions_ended", username, sessions_ended=ended)
    return ended


async def reset_second_factor(actor: Actor, username: str) -> None:
    """For a lost phone: the next sign-in enrols again (admins and leaders must)."""
    account_id = await _account_id(username)
    async with write_transaction():
        await UserAccount.update(
            {UserAccount.mfa_secret: None, UserAccount.recovery_codes: ""}
        ).where(account_pk == account_id)
    await end_sessions_of(account_id)
    audit_action(actor, "mfa_reset", username)


async def issue_token(actor: Actor, username: str, scope: str, name: str) -> str:
    token = await create_token(username, scope, name.strip())
    audit_action(actor, "token_created", username, scope=scope, name=name.strip()[:80])
    return token


async def withdraw_token(actor: Actor, username: str, token_id: int) -> None:
    account_id = await _account_id(username)
    if not await ApiToken.exists().where((token_pk == token_id) & (ApiToken.account == account_id)):
        raise NotFound("token")
    await revoke_token(token_id)
    audit_action(actor, "token_revoked", username, token_id=token_id)


async def change_password(
    account_id: int, current: str, new: str, repeated: str, keep_session: str
) -> None:
    """Check the current password and the policy, store the new hash, end other sessions."""
    row = (
        await UserAccount.select(UserAccount.username, UserAccount.password_hash)
        .where(account_pk == account_id)
        .first()
    )
    if row is None:
        raise NotFound("account")
    reasons: list[Any] = []
    if not verify_password(row["password_hash"], current[:400]):
        reasons.append(AccountReason("PASSWORD_WRONG", field="current_password"))
    if new != repeated:
        reasons.append(AccountReason("PASSWORDS_DIFFER", field="password_again"))
    reasons += password_problems(new, row["username"])
    if reasons:
        raise Refused(reasons)
    async with write_transaction():
        await UserAccount.update(
            {
                UserAccount.password_hash: hash_password(new),
                UserAccount.password_changed_at: utc_now(),
            }
        ).where(account_pk == account_id)
    ended = await end_sessions_of(account_id, keep=keep_session)
    log().info("password_changed", username=row["username"], other_sessions_ended=ended)

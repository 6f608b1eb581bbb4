"""Use cases for accounts: create one, with its roles per unit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from registry.accounts.passwords import hash_password, password_problems
from registry.accounts.tables import RoleAssignment, UserAccount
from registry.db import write_transaction
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import Conflict, Refused
from registry.organisation.tables import Official, Unit

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,79}$")
ROLES = ("admin", "registrar", "leader", "inspector")


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
        official = await Official.select(Official.id).where(Official.code == official_code).first()
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

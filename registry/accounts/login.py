"""Signing in: the password, then the second factor when the account has or needs one.

Every refusal says the same thing to the person ("wrong user name or password") and the real
reason to the log. Unknown names cost one argon2 verification too, so timing does not tell.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import structlog

from registry.accounts import mfa, throttle
from registry.accounts.keys import account_pk
from registry.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from registry.accounts.reasons import AccountReason
from registry.accounts.tables import RoleAssignment, UserAccount
from registry.db import write_transaction


def log() -> Any:
    """A new proxy per call, so the configuration of the moment applies (tests capture it)."""
    return structlog.get_logger("registry.accounts")


MAX_FIELD = 200


class NextStep(StrEnum):
    DONE = "done"
    MFA = "mfa"
    ENROL = "enrol"


@dataclass(frozen=True, slots=True)
class PasswordAccepted:
    account_id: int
    username: str
    next_step: NextStep


class SignInRefusedError(Exception):
    """A refused sign-in step; `status` is what the page answers (400, or 429 when throttled)."""

    def __init__(self, reason: AccountReason, status: int = 400) -> None:
        super().__init__(reason.code)
        self.reasons = [reason]
        self.status = status


def _failed(username: str, address: str, reason: str) -> SignInRefusedError:
    log().warning("login_failed", username=username, ip=address, reason=reason)
    return SignInRefusedError(AccountReason("LOGIN_FAILED"))


async def check_password(
    username: str, password: str, address: str, now: datetime
) -> PasswordAccepted:
    """The first step; raises `SignInRefused` with the generic message on any failure."""
    username = unicodedata.normalize("NFC", username.strip().lower())[:MAX_FIELD]
    if await throttle.address_blocked(address, now):
        log().warning("login_failed", username=username, ip=address, reason="address_throttled")
        raise SignInRefusedError(AccountReason("TOO_MANY_ATTEMPTS"), status=429)
    password = password[: MAX_FIELD * 2]
    account = (
        await UserAccount.select(
            account_pk,
            UserAccount.password_hash,
            UserAccount.active,
            UserAccount.mfa_secret,
            UserAccount.failed_logins,
            UserAccount.locked_until,
        )
        .where(UserAccount.username == username)
        .first()
    )
    if account is None:
        verify_password(dummy_hash(), password)
        async with write_transaction():
            count = await throttle.unknown_user_count(username, now)
            if not count.locked(now):
                await throttle.save_unknown_user_count(username, count.after_failure(now), now)
            await throttle.count_address_failure(address, now)
        raise _failed(username, address, "locked" if count.locked(now) else "unknown_user")
    count = throttle.FailureCount(account["failed_logins"], account["locked_until"])
    if count.locked(now):
        verify_password(dummy_hash(), password)
        async with write_transaction():
            await throttle.count_address_failure(address, now)
        raise _failed(username, address, "locked")
    if not verify_password(account["password_hash"], password):
        await record_failure(account["id"], address, now)
        raise _failed(username, address, "wrong_password")
    if not account["active"]:
        async with write_transaction():
            await throttle.count_address_failure(address, now)
        raise _failed(username, address, "disabled")
    roles = await RoleAssignment.select(RoleAssignment.role).where(
        RoleAssignment.account == account["id"]
    )
    role_names = tuple(row["role"] for row in roles)
    has_secret = bool(account["mfa_secret"])
    if needs_rehash(account["password_hash"]):
        await UserAccount.update({UserAccount.password_hash: hash_password(password)}).where(
            account_pk == account["id"]
        )
    if has_secret:
        step = NextStep.MFA
    elif mfa.needs_second_factor(role_names, has_secret):
        step = NextStep.ENROL
    else:
        step = NextStep.DONE
        await record_success(account["id"], username, address)
    return PasswordAccepted(account["id"], username, step)


async def record_failure(account_id: int, address: str, now: datetime) -> None:
    """Count a failed password or code against the account and the address, atomically."""
    async with write_transaction():
        row = (
            await UserAccount.select(UserAccount.failed_logins, UserAccount.locked_until)
            .where(account_pk == account_id)
            .first()
        )
        if row is not None:
            count = throttle.FailureCount(row["failed_logins"], row["locked_until"])
            after = count.after_failure(now)
            await UserAccount.update(
                {
                    UserAccount.failed_logins: after.failures,
                    UserAccount.locked_until: after.locked_until,
                }
            ).where(account_pk == account_id)
        await throttle.count_address_failure(address, now)


async def record_success(account_id: int, username: str, address: str) -> None:
    await UserAccount.update({UserAccount.failed_logins: 0, UserAccount.locked_until: None}).where(
        account_pk == account_id
    )
    log().info("login", username=username, ip=address)


async def check_second_factor(account_id: int, code: str, address: str, now: datetime) -> str:
    """A TOTP code or an unused recovery code (spent by this call); returns the user name."""
    async with write_transaction():
        account = (
            await UserAccount.select(
                UserAccount.username,
                UserAccount.active,
                UserAccount.mfa_secret,
                UserAccount.recovery_codes,
                UserAccount.failed_logins,
                UserAccount.locked_until,
            )
            .where(account_pk == account_id)
            .first()
        )
        if account is None or not account["active"] or not account["mfa_secret"]:
            raise SignInRefusedError(AccountReason("MFA_SESSION_MISSING"))
        username = account["username"]
        count = throttle.FailureCount(account["failed_logins"], account["locked_until"])
        accepted = False
        method = "totp"
        if count.locked(now):
            reason = "locked"
        elif mfa.is_totp_code(code):
            accepted = await mfa.accept_totp(account_id, account["mfa_secret"], code, now)
            reason = "wrong_or_reused_totp"
        else:
            method = "recovery_code"
            remaining = mfa.spend_recovery_code(account["recovery_codes"], code)
            if remaining is not None:
                accepted = True
                await UserAccount.update({UserAccount.recovery_codes: remaining}).where(
                    account_pk == account_id
                )
            reason = "wrong_or_used_recovery_code"
    if not accepted:
        if reason != "locked":
            await record_failure(account_id, address, now)
        log().warning("login_failed", username=username, ip=address, reason=reason, step="mfa")
        raise SignInRefusedError(AccountReason("MFA_CODE_INVALID", field="code"))
    await record_success(account_id, username, address)
    log().info("mfa_passed", username=username, ip=address, method=method)
    return username


async def confirm_enrolment(
    account_id: int, secret: str, code: str, address: str, now: datetime
) -> list[str]:
    """Store the TOTP secret once a first code proves the authenticator has it.

    Returns ten recovery codes to show once; only their hashes are kept.
    """
    async with write_transaction():
        account = (
            await UserAccount.select(UserAccount.username, UserAccount.active)
            .where(account_pk == account_id)
            .first()
        )
        if account is None or not account["active"] or not secret:
            raise SignInRefusedError(AccountReason("MFA_SESSION_MISSING"))
        accepted = await mfa.accept_totp(account_id, secret, code, now)
        if accepted:
            codes = mfa.new_recovery_codes()
            await UserAccount.update(
                {
                    UserAccount.mfa_secret: secret,
                    UserAccount.recovery_codes: mfa.hash_recovery_codes(codes),
                }
            ).where(account_pk == account_id)
    if not accepted:
        await record_failure(account_id, address, now)
        log().warning(
            "login_failed",
            username=account["username"],
            ip=address,
            reason="enrol_code",
            step="mfa",
        )
        raise SignInRefusedError(AccountReason("MFA_CODE_INVALID", field="code"))
    await record_success(account_id, account["username"], address)
    log().info("mfa_enrolled", username=account["username"], ip=address)
    return codes

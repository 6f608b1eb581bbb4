"""The sign-in flow across its pages: each finished step gets a new session id (no fixation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog

from registry.accounts import login, mfa
from registry.accounts.cookies import new_csrf_token
from registry.accounts.keys import account_pk
from registry.accounts.login import NextStep, SignInRefusedError
from registry.accounts.reasons import AccountReason
from registry.accounts.sessions import (
    CurrentSession,
    SessionPolicy,
    end_session,
    save_session,
    start_session,
)
from registry.accounts.tables import UserAccount


def log() -> Any:
    """A new proxy per call, so the configuration of the moment applies (tests capture it)."""
    return structlog.get_logger("registry.accounts")


@dataclass(frozen=True, slots=True)
class SessionStarted:
    """A new session: its id and CSRF token go into cookies; `step` says which page is next."""

    session_id: str
    csrf_token: str
    step: NextStep
    next_path: str
    #: The account's roles, for the page it lands on.
    roles: tuple[str, ...] = ()


async def _rotate(
    policy: SessionPolicy,
    account_id: int,
    previous: CurrentSession | None,
    step: NextStep,
    next_path: str,
    recovery_codes: list[str] | None = None,
) -> SessionStarted:
    csrf_token = new_csrf_token(policy)
    session_id = await start_session(
        policy,
        account_id,
        replacing=previous.session_id if previous else None,
        mfa_pending=step is not NextStep.DONE,
        csrf_token=csrf_token,
        enrol_secret=mfa.new_secret() if step is NextStep.ENROL else "",
        next_path=next_path,
        recovery_codes=recovery_codes,
    )
    from registry.accounts.tables import RoleAssignment

    roles = tuple(
        r["role"]
        for r in await RoleAssignment.select(RoleAssignment.role).where(
            RoleAssignment.account == account_id
        )
    )
    return SessionStarted(session_id, csrf_token, step, next_path, roles)


async def sign_in(
    policy: SessionPolicy,
    username: str,
    password: str,
    address: str,
    previous: CurrentSession | None,
    next_path: str,
) -> SessionStarted:
    """Password step; the session is full, or pending until the second factor is given."""
    accepted = await login.check_password(username, password, address, policy.clock())
    return await _rotate(policy, accepted.account_id, previous, accepted.next_step, next_path)


def _pending(session: CurrentSession | None) -> CurrentSession:
    if session is None or not session.record.mfa_pending:
        raise SignInRefusedError(AccountReason("MFA_SESSION_MISSING"))
    return session


async def pass_second_factor(
    policy: SessionPolicy, session: CurrentSession | None, code: str, address: str
) -> SessionStarted:
    pending = _pending(session)
    await login.check_second_factor(pending.record.account_id, code, address, policy.clock())
    return await _rotate(
        policy, pending.record.account_id, pending, NextStep.DONE, pending.record.next_path
    )


async def finish_enrolment(
    policy: SessionPolicy, session: CurrentSession | None, code: str, address: str
) -> SessionStarted:
    """The first code confirms the secret; the new session carries the recovery codes to show."""
    pending = _pending(session)
    record = pending.record
    codes = await login.confirm_enrolment(
        record.account_id, record.enrol_secret, code, address, policy.clock()
    )
    return await _rotate(
        policy, record.account_id, pending, NextStep.DONE, record.next_path, recovery_codes=codes
    )


async def enrolment_details(session: CurrentSession | None) -> tuple[str, str]:
    """The user name and the secret being enrolled, for the QR code page."""
    pending = _pending(session)
    account = (
        await UserAccount.select(UserAccount.username, UserAccount.mfa_secret)
        .where(account_pk == pending.record.account_id)
        .first()
    )
    if account is None or account["mfa_secret"] or not pending.record.enrol_secret:
        raise SignInRefusedError(AccountReason("MFA_SESSION_MISSING"))
    return account["username"], pending.record.enrol_secret


async def sign_out(session: CurrentSession | None, username: str, address: str) -> None:
    if session is not None:
        await end_session(session.session_id)
        log().info("logout", username=username, ip=address)


async def take_reveal(
    policy: SessionPolicy, session: CurrentSession | None, kind: str
) -> list[str]:
    """Secrets shown once: returned now and dropped from the session."""
    if session is None or session.record.reveal_kind != kind or not session.record.reveal:
        return []
    shown = list(session.record.reveal)
    session.record.reveal = []
    session.record.reveal_kind = ""
    await save_session(policy, session.session_id, session.record)
    return shown


async def put_reveal(
    policy: SessionPolicy, session: CurrentSession | None, kind: str, secrets: list[str]
) -> None:
    if session is None:
        return
    session.record.reveal = secrets
    session.record.reveal_kind = kind
    await save_session(policy, session.session_id, session.record)

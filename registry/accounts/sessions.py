"""Server-side browser sessions in the shared store: rotated at sign-in, ended at sign-out.

A session id is 32 random bytes; only its SHA-256 is stored, so a copy of the database does not
hold usable cookies. An id the store does not know, or one past its idle or absolute limit, is
never adopted: the request is anonymous and the middleware clears the cookie.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from litestar.types import Scope

from registry.accounts import store
from registry.accounts.actor import Actor
from registry.db import write_transaction

NAMESPACE = "session"
#: last_seen_at is written at most this often, so a busy page does not write on every request.
TOUCH_INTERVAL = timedelta(minutes=1)
#: A session waiting for its second factor lives this long at most.
PENDING_LIMIT = timedelta(minutes=10)
_SESSION_ID = re.compile(r"^[A-Za-z0-9_\-]{43}$")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class SessionPolicy:
    """Timeouts, cookie attributes and the clock (tests pass a fake one)."""

    idle: timedelta
    absolute: timedelta
    secure_cookies: bool
    #: Signs CSRF tokens (the same secret as the app's CSRFConfig).
    csrf_secret: str = ""
    clock: Clock = field(default=utc_now)

    @classmethod
    def from_settings(cls, settings: Any, clock: Clock = utc_now) -> SessionPolicy:
        return cls(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
            secure_cookies=settings.secure_cookies,
            csrf_secret=settings.session_secret().hex(),
            clock=clock,
        )

    @property
    def cookie_name(self) -> str:
        return "__Host-session" if self.secure_cookies else "session"

    @property
    def csrf_cookie_name(self) -> str:
        return "__Host-csrftoken" if self.secure_cookies else "csrftoken"


def session_policy(app: Any) -> SessionPolicy:
    """The app's policy, built from its settings on first use and kept in `app.state`."""
    policy = app.state.get("session_policy")
    if policy is None:
        policy = SessionPolicy.from_settings(app.state["settings"])
        app.state["session_policy"] = policy
    return policy


class SessionRecord(msgspec.Struct):
    """What the store keeps for one session (JSON bytes)."""

    account_id: int
    created_at: datetime
    last_seen_at: datetime
    #: Password given, second factor not yet: the actor stays PUBLIC.
    mfa_pending: bool = False
    #: SHA-256 of the CSRF token issued at sign-in: the CSRF cookie is bound to this session.
    csrf_digest: str = ""
    #: TOTP secret being enrolled, until the first code confirms it.
    enrol_secret: str = ""
    next_path: str = "/"
    #: Secrets shown once on the next page (recovery codes, a new API token), then dropped.
    reveal: list[str] = msgspec.field(default_factory=list)
    reveal_kind: str = ""


@dataclass(frozen=True, slots=True)
class CurrentSession:
    session_id: str
    record: SessionRecord


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def expires_at(policy: SessionPolicy, record: SessionRecord) -> datetime:
    return min(record.last_seen_at + policy.idle, record.created_at + policy.absolute).replace(
        microsecond=0
    )


async def start_session(
    policy: SessionPolicy,
    account_id: int,
    *,
    replacing: str | None = None,
    mfa_pending: bool = False,
    csrf_token: str = "",
    enrol_secret: str = "",
    next_path: str = "/",
    recovery_codes: list[str] | None = None,
) -> str:
    """A new id for a new session; the one it replaces (pre-login, pending) is deleted."""
    now = policy.clock()
    session_id = secrets.token_urlsafe(32)
    record = SessionRecord(
        account_id=account_id,
        created_at=now,
        last_seen_at=now,
        mfa_pending=mfa_pending,
        csrf_digest=token_digest(csrf_token) if csrf_token else "",
        enrol_secret=enrol_secret,
        next_path=next_path,
        reveal=list(recovery_codes or []),
        reveal_kind="recovery_codes" if recovery_codes else "",
    )
    async with write_transaction():
        if replacing:
            await store.delete_entry(NAMESPACE, session_key(replacing))
        await store.purge_expired(now)
        await store.put_entry(
            NAMESPACE,
            session_key(session_id),
            msgspec.json.encode(record),
            expires_at(policy, record),
        )
    return session_id


async def load_session(policy: SessionPolicy, session_id: str) -> SessionRecord | None:
    """The live session behind an id, or None; past either limit it is deleted."""
    if not _SESSION_ID.match(session_id):
        return None
    now = policy.clock()
    key = session_key(session_id)
    value = await store.get_entry(NAMESPACE, key, now)
    if value is None:
        return None
    try:
        record = msgspec.json.decode(value, type=SessionRecord)
    except msgspec.DecodeError:
        await store.delete_entry(NAMESPACE, key)
        return None
    age = now - record.created_at
    if (
        now - record.last_seen_at >= policy.idle
        or age >= policy.absolute
        or (record.mfa_pending and age >= PENDING_LIMIT)
    ):
        await store.delete_entry(NAMESPACE, key)
        return None
    if now - record.last_seen_at >= TOUCH_INTERVAL:
        record.last_seen_at = now
        await save_session(policy, session_id, record)
    return record


async def save_session(policy: SessionPolicy, session_id: str, record: SessionRecord) -> None:
    await store.put_entry(
        NAMESPACE, session_key(session_id), msgspec.json.encode(record), expires_at(policy, record)
    )


async def end_session(session_id: str) -> None:
    await store.delete_entry(NAMESPACE, session_key(session_id))


async def end_sessions_of(account_id: int, keep: str | None = None) -> int:
    """End every session of an account (optionally but one); returns how many ended.

    Sessions are keyed by the hash of their id, so this reads the namespace: it holds one row
    per live session, a small table even for a large office.
    """
    kept = session_key(keep) if keep else None
    ended = 0
    async with write_transaction():
        for key, value in await store.entries(NAMESPACE):
            try:
                owner = msgspec.json.decode(value, type=SessionRecord).account_id
            except msgspec.DecodeError:
                owner = account_id  # unreadable: drop it as well
            if owner == account_id and key != kept:
                await store.delete_entry(NAMESPACE, key)
                ended += 1
    return ended


def cookie_value(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, content = part.strip().partition("=")
            if key == name:
                return content.strip('"')
    return None


def current_session(scope: Scope) -> CurrentSession | None:
    """The session `actor_from_session` found for this request (pending ones included)."""
    found = scope.get("state", {}).get("session")
    return found if isinstance(found, CurrentSession) else None


async def actor_from_session(scope: Scope) -> Actor | None:
    """The signed-in actor of this request's session cookie, if any.

    Marks the scope when a cookie was presented but refused, so the middleware clears it.
    A session waiting for its second factor gives no actor (the request stays PUBLIC).
    """
    from registry.accounts.authentication import actor_for_account

    policy = session_policy(scope["app"])
    session_id = cookie_value(scope, policy.cookie_name)
    if not session_id:
        return None
    state = scope.setdefault("state", {})
    record = await load_session(policy, session_id)
    if record is None:
        state["session_rejected"] = True
        return None
    if record.mfa_pending:
        state["session"] = CurrentSession(session_id, record)
        return None
    actor = await actor_for_account(record.account_id)
    if actor is None:  # disabled since: the session ends with the account
        await end_session(session_id)
        state["session_rejected"] = True
        return None
    state["session"] = CurrentSession(session_id, record)
    return actor

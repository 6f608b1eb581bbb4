"""Who is asking: a bearer token or a browser session becomes the request's `Actor`.

Also where a session cookie meets CSRF: the CSRF cookie must be the one issued with the
session (Litestar's own check does not bind them), JSON API writes made with a session cookie
need the `x-csrftoken` header, and a refused session cookie is cleared.
"""

from __future__ import annotations

import hmac
import json
from typing import cast

from litestar.types import HTTPScope, Scope, Send

from registry.accounts.actor import PUBLIC, Actor
from registry.accounts.cookies import clearing_session_cookie
from registry.accounts.keys import account_pk
from registry.accounts.sessions import (
    actor_from_session,
    cookie_value,
    current_session,
    session_policy,
    token_digest,
)
from registry.accounts.tables import RoleAssignment, UserAccount
from registry.accounts.tokens import holder_of
from registry.authz.engine import POLICY_VERSION_SEEN, READ_MAX_AGE, authority_engine
from registry.errors import AccessReason
from registry.web.raw_response import send_json

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


async def actor_for_account(account_id: int, token_scope: str | None = None) -> Actor | None:
    """The actor of an active account, with its roles per unit and its linked official."""
    account = (
        await UserAccount.select(
            account_pk,
            UserAccount.username,
            UserAccount.active,
            UserAccount.language,
            UserAccount.official.code.as_alias("official_code"),
        )
        .where(account_pk == account_id)
        .first()
    )
    if account is None or not account["active"]:
        return None
    roles = await RoleAssignment.select(RoleAssignment.role, RoleAssignment.unit_code).where(
        RoleAssignment.account == account_id
    )
    return Actor(
        username=account["username"],
        roles=tuple((r["role"], r["unit_code"]) for r in roles),
        official_code=account["official_code"],
        token_scope=token_scope,
        account_id=account["id"],
        language=account["language"],
    )


async def actor_for_token(token: str) -> Actor | None:
    """The actor behind a bearer token, read once per policy version: revoking a token,
    disabling an account and changing its roles all move the version (see `tokens.py` and
    `services.py`), so a machine client's requests cost no query until something changes.
    The version itself is read at most every `READ_MAX_AGE` (a write's own checks read it
    again: its service decides with `refresh()` before it changes anything)."""
    engine = authority_engine()
    await engine.refresh(max_age=READ_MAX_AGE)

    async def load() -> Actor | None:
        holder = await holder_of(token)
        if holder is None:
            return None
        return await actor_for_account(holder.account_id, token_scope=holder.scope)

    # Unknown tokens are not kept: a flood of made-up tokens must not grow the cache.
    actor: Actor | None = await engine.cached(("token", token_digest(token)), load, keep_none=False)
    return actor


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _without_cookie(scope: Scope, name: str) -> None:
    """Drop one cookie from the request, so the CSRF check finds none and refuses."""
    headers = []
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            parts = [
                part
                for part in value.decode("latin-1").split(";")
                if part.strip().partition("=")[0] != name
            ]
            value = ";".join(parts).strip().encode("latin-1")
        headers.append((key, value))
    scope["headers"] = headers


async def refuse_csrf(send: Send) -> None:
    reason = AccessReason("CSRF_FAILED").as_json()
    body = json.dumps({"status": 403, "reasons": [reason]}, ensure_ascii=False).encode()
    await send_json(send, 403, body)


async def authenticate(scope: Scope) -> bool:
    """Sets `scope["state"]["actor"]`: from `Authorization: Bearer`, else from the session.

    False only for a JSON API write riding on a session cookie without a valid CSRF header: the
    caller refuses it with `refuse_csrf`.
    """
    state = scope.setdefault("state", {})
    state["actor"] = await _resolve(scope)
    return _session_csrf_holds(scope)


async def _resolve(scope: Scope) -> Actor:
    authorization = _header(scope, b"authorization")
    if authorization.lower().startswith("bearer "):
        actor = await actor_for_token(authorization[7:].strip())
        # The version the token was judged under: a read-only handler may decide under it.
        scope.setdefault("state", {})[POLICY_VERSION_SEEN] = authority_engine().version
        return actor or PUBLIC
    return await actor_from_session(scope) or PUBLIC


def _session_csrf_holds(scope: Scope) -> bool:
    """For pages, a CSRF cookie other than the session's own is removed from the request, and
    the CSRF middleware then refuses it with 403 CSRF_FAILED as for a missing token."""
    session = current_session(scope)
    if session is None or cast("HTTPScope", scope)["method"] in SAFE_METHODS:
        return True
    policy = session_policy(scope["app"])
    cookie = cookie_value(scope, policy.csrf_cookie_name) or ""
    bound = bool(cookie) and hmac.compare_digest(token_digest(cookie), session.record.csrf_digest)
    if scope["path"].startswith("/api/"):
        header = _header(scope, b"x-csrftoken")
        return bound and bool(header) and hmac.compare_digest(header, cookie)
    if not bound:
        _without_cookie(scope, policy.csrf_cookie_name)
    return True


def with_refused_session_cleared(
    scope: Scope, headers: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """A refused session cookie is cleared, unless the response sets that cookie itself."""
    if not scope["state"].get("session_rejected"):
        return headers
    policy = session_policy(scope["app"])
    prefix = f"{policy.cookie_name}=".encode()
    if any(k == b"set-cookie" and v.startswith(prefix) for k, v in headers):
        return headers
    clearing = clearing_session_cookie(policy).to_header(header="").encode("latin-1")
    return [*headers, (b"set-cookie", clearing)]

"""The route guard: every handler declares a (resource, action) or an explicit public mark."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import casbin
import structlog
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.accounts.actor import PUBLIC, Actor
from registry.authz.model import new_app_enforcer
from registry.authz.permissions import ANONYMOUS, GLOBAL_DOMAIN, Action, Resource

log = structlog.get_logger("registry.authz")

#: What each API-token scope may do at most, whatever the account's roles.
TOKEN_ACTIONS: dict[str, frozenset[Action] | None] = {
    "check": frozenset(),
    "read": frozenset({Action.READ, Action.EXPORT}),
    "write": None,
}


@lru_cache(maxsize=1)
def app_enforcer() -> casbin.Enforcer:
    # Route-level checks ask "anywhere?", so the tree only needs the global domain.
    return new_app_enforcer({})


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    actor = connection.scope.get("state", {}).get("actor")
    return actor if isinstance(actor, Actor) else PUBLIC


def allows(actor: Actor, resource: Resource, action: Action) -> bool:
    """Whether the actor may do this somewhere; services then check the unit (object level)."""
    return _allows(actor.token_scope, tuple(role for role, _unit in actor.roles), resource, action)


@lru_cache(maxsize=4096)
def _allows(
    token_scope: str | None, roles: tuple[str, ...], resource: Resource, action: Action
) -> bool:
    """The route-level answer depends only on these; the app model and policy are files read
    once per process, so the answers are kept."""
    enforcer = app_enforcer()
    if token_scope is not None:
        limit = TOKEN_ACTIONS.get(token_scope, frozenset())
        if resource is Resource.CHECK:
            return action is Action.READ
        if limit is not None and action not in limit:
            return False
    if enforcer.enforce(ANONYMOUS, GLOBAL_DOMAIN, str(resource), str(action)):
        return True
    if token_scope == "check":  # noqa: S105 - a scope name, not a secret
        return False
    return any(enforcer.enforce(role, GLOBAL_DOMAIN, str(resource), str(action)) for role in roles)


def requires_permission(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Reads the handler's `opt`: `public=True`, or `permission=(Resource, Action)`."""
    opt = handler.opt
    if opt.get("public"):
        return
    permission = opt.get("permission")
    if permission is None:
        log.error("route_without_permission", path=connection.url.path)
        raise PermissionDeniedException("route has no declared permission")
    resource, action = permission
    actor = actor_of(connection)
    if allows(actor, resource, action):
        return
    log.warning(
        "authorization_denied",
        subject=actor.username or ANONYMOUS,
        resource=str(resource),
        action=str(action),
        path=connection.url.path,
        reason="no role grants this permission",
    )
    if not actor.username:
        raise NotAuthorizedException("sign-in required")
    raise PermissionDeniedException("not allowed")


class PermissionMiddleware:
    """Runs `requires_permission` for the route Litestar matched, before its handler reads the
    request. The app's middleware rather than a Litestar guard: a guard costs every request a
    copy of its handler (and, when it is a plain function, a hop to a worker thread)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            requires_permission(ASGIConnection(scope), scope["route_handler"])
        await self.app(scope, receive, send)


def permission(resource: Resource, action: Action) -> dict[str, Any]:
    """`opt` for a handler: `@get(..., opt=permission(Resource.GRANTS, Action.READ))`."""
    return {"permission": (resource, action)}


PUBLIC_ROUTE: dict[str, Any] = {"public": True}

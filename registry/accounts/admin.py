"""Administration of accounts: roles per unit, disabling, sessions, API tokens."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from registry.accounts import services, signin
from registry.accounts.controllers import AnyRequest, Form, actor
from registry.accounts.services import ROLES
from registry.accounts.sessions import current_session, session_policy
from registry.accounts.tokens import SCOPES
from registry.authz.guard import permission
from registry.authz.permissions import Action, Resource
from registry.errors import RegistryError

ADMIN = permission(Resource.ACCOUNTS, Action.ADMIN)
REVEAL_KIND = "api-credential"


def _to_user(request: Request[Any, Any, Any], username: str) -> Redirect:
    return Redirect(request.app.route_reverse("admin:user", username=username), status_code=303)


async def _user_page(
    request: AnyRequest, username: str, errors: list[Any] | None = None, status: int = 200
) -> Template:
    detail = await services.account_detail(username)
    new_token = await signin.take_reveal(
        session_policy(request.app), current_session(request.scope), REVEAL_KIND
    )
    context = {
        "detail": detail,
        "roles": ROLES,
        "scopes": SCOPES,
        "new_token": new_token[0] if new_token else None,
        "errors": errors or [],
        "is_self": detail.account.id == actor(request).account_id,
    }
    return Template("admin/user.html", context=context, status_code=status)


@get("/admin/users", name="admin:users", opt=ADMIN)
async def users() -> Template:
    return Template("admin/users.html", context={"accounts": await services.list_accounts()})


def _new_user_page(form: dict[str, str], errors: list[Any], status: int = 200) -> Template:
    context = {"form": form, "roles": ROLES, "errors": errors}
    return Template("admin/user_new.html", context=context, status_code=status)


@get("/admin/users/new", name="admin:user_new", opt=ADMIN)
async def user_new() -> Template:
    return _new_user_page({}, [])


@post("/admin/users", name="admin:user_create", opt=ADMIN)
async def user_create(request: AnyRequest, data: Form) -> Response[Any]:
    role = data.get("role", "")
    try:
        account = await services.create_account_by(
            actor(request),
            data.get("username", ""),
            data.get("password", ""),
            roles=[(role, data.get("unit", "").strip() or "*")] if role else [],
            official_code=data.get("official", "").strip() or None,
            language=data.get("language", "vi"),
        )
    except RegistryError as refused:
        kept = {k: v for k, v in data.items() if k not in {"password", "_csrf_token"}}
        return _new_user_page(kept, refused.reasons, refused.status)
    return _to_user(request, account.username)


@get("/admin/users/{username:str}", name="admin:user", opt=ADMIN)
async def user_detail(request: AnyRequest, username: FromPath[str]) -> Template:
    return await _user_page(request, username)


@post("/admin/users/{username:str}/active", name="admin:user_active", opt=ADMIN)
async def user_active(request: AnyRequest, username: FromPath[str], data: Form) -> Response[Any]:
    try:
        await services.set_active(actor(request), username, data.get("active") == "1")
    except RegistryError as refused:
        return await _user_page(request, username, refused.reasons, refused.status)
    return _to_user(request, username)


@post("/admin/users/{username:str}/roles", name="admin:role_add", opt=ADMIN)
async def role_add(request: AnyRequest, username: FromPath[str], data: Form) -> Response[Any]:
    try:
        await services.assign_role(
            actor(request), username, data.get("role", ""), data.get("unit", "")
        )
    except RegistryError as refused:
        return await _user_page(request, username, refused.reasons, refused.status)
    return _to_user(request, username)


@post("/admin/users/{username:str}/roles/remove", name="admin:role_remove", opt=ADMIN)
async def role_remove(request: AnyRequest, username: FromPath[str], data: Form) -> Response[Any]:
    try:
        await services.remove_role(
            actor(request), username, data.get("role", ""), data.get("unit", "")
        )
    except RegistryError as refused:
        return await _user_page(request, username, refused.reasons, refused.status)
    return _to_user(request, username)


@post("/admin/users/{username:str}/sessions/end", name="admin:sessions_end", opt=ADMIN)
async def sessions_end(request: AnyRequest, username: FromPath[str]) -> Redirect:
    await services.end_sessions(actor(request), username)
    return _to_user(request, username)


@post("/admin/users/{username:str}/mfa/reset", name="admin:mfa_reset", opt=ADMIN)
async def mfa_reset(request: AnyRequest, username: FromPath[str]) -> Redirect:
    await services.reset_second_factor(actor(request), username)
    return _to_user(request, username)


@post("/admin/users/{username:str}/tokens", name="admin:token_create", opt=ADMIN)
async def token_create(request: AnyRequest, username: FromPath[str], data: Form) -> Response[Any]:
    try:
        token = await services.issue_token(
            actor(request), username, data.get("scope", ""), data.get("name", "")
        )
    except RegistryError as refused:
        return await _user_page(request, username, refused.reasons, refused.status)
    # Shown once, on the page this redirect leads to; only its hash is stored.
    await signin.put_reveal(
        session_policy(request.app), current_session(request.scope), REVEAL_KIND, [token]
    )
    return _to_user(request, username)


@post(
    "/admin/users/{username:str}/tokens/{token_id:int}/revoke",
    name="admin:token_revoke",
    opt=ADMIN,
)
async def token_revoke(
    request: AnyRequest, username: FromPath[str], token_id: FromPath[int]
) -> Redirect:
    await services.withdraw_token(actor(request), username, token_id)
    return _to_user(request, username)


ADMIN_ROUTES: list[Any] = [
    users,
    user_new,
    user_create,
    user_detail,
    user_active,
    role_add,
    role_remove,
    sessions_end,
    mfa_reset,
    token_create,
    token_revoke,
]

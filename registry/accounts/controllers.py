"""Pages of one's own account: sign in (password, second factor), sign out, change password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, get, post
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import NoRouteMatchFoundException, NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Body, Parameter
from litestar.response import Redirect, Response, Template

from registry.accounts import mfa, services, signin
from registry.accounts.actor import PUBLIC, Actor
from registry.accounts.cookies import clearing_session_cookie, csrf_cookie, session_cookie
from registry.accounts.login import NextStep, SignInRefusedError
from registry.accounts.sessions import current_session, session_policy
from registry.errors import RegistryError
from registry.web.sign_in import local_path

PUBLIC_ROUTE: dict[str, Any] = {"public": True}
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    found = connection.scope.get("state", {}).get("actor")
    return found if isinstance(found, Actor) else PUBLIC


def requires_sign_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """For pages about one's own account: any signed-in person, whatever their roles."""
    if actor(connection).account_id is None or actor(connection).token_scope is not None:
        raise NotAuthorizedException("sign-in required")


def address(request: AnyRequest) -> str:
    return request.client.host if request.client else "unknown"


#: Where each role starts after signing in, the first that applies.
LANDING_BY_ROLE = (
    ("leader", "dashboard:index"),
    ("registrar", "dashboard:index"),
    ("inspector", "inspect:acts"),
    ("admin", "admin:users"),
)


def landing(request: AnyRequest, next_path: str, roles: tuple[str, ...] = ()) -> str:
    if next_path:
        return next_path
    for role, route in LANDING_BY_ROLE:
        if role in roles:
            try:
                return request.app.route_reverse(route)
            except NoRouteMatchFoundException:
                continue
    return "/"


def _with_session(
    request: AnyRequest, started: signin.SessionStarted, target: str = ""
) -> Redirect:
    """Redirect to the next page of the flow with the new session and CSRF cookies."""
    if started.step is NextStep.MFA:
        target = request.app.route_reverse("accounts:mfa")
    elif started.step is NextStep.ENROL:
        target = request.app.route_reverse("accounts:mfa_enrol")
    target = target or landing(request, started.next_path, started.roles)
    policy = session_policy(request.app)
    response = Redirect(target, status_code=303)
    response.set_cookie(session_cookie(policy, started.session_id))
    response.set_cookie(csrf_cookie(policy, started.csrf_token))
    return response


def _login_page(
    next_path: str, username: str = "", errors: list[Any] | None = None, status: int = 200
) -> Template:
    context = {"next_path": next_path, "username": username, "errors": errors or []}
    return Template("accounts/login.html", context=context, status_code=status)


@get("/login", name="accounts:login", opt=PUBLIC_ROUTE)
async def login_page(
    next_path: Annotated[str | None, Parameter(query="next", max_length=2000)] = None,
) -> Template:
    return _login_page(local_path(next_path))


@post("/login", name="accounts:login_submit", opt=PUBLIC_ROUTE)
async def login_submit(request: AnyRequest, data: Form) -> Response[Any]:
    next_path = local_path(data.get("next"))
    try:
        started = await signin.sign_in(
            session_policy(request.app),
            data.get("username", ""),
            data.get("password", ""),
            address(request),
            current_session(request.scope),
            next_path,
        )
    except SignInRefusedError as refused:
        return _login_page(
            next_path, data.get("username", "")[:80], refused.reasons, refused.status
        )
    return _with_session(request, started)


@post("/logout", name="accounts:logout", opt=PUBLIC_ROUTE)
async def logout(request: AnyRequest) -> Redirect:
    await signin.sign_out(current_session(request.scope), actor(request).username, address(request))
    response = Redirect(request.app.route_reverse("home"), status_code=303)
    response.set_cookie(clearing_session_cookie(session_policy(request.app)))
    return response


@get("/login/mfa", name="accounts:mfa", opt=PUBLIC_ROUTE)
async def mfa_page(request: AnyRequest) -> Response[Any]:
    session = current_session(request.scope)
    if session is None or not session.record.mfa_pending or session.record.enrol_secret:
        return Redirect(request.app.route_reverse("accounts:login"), status_code=303)
    return Template("accounts/mfa.html", context={"errors": []})


@post("/login/mfa", name="accounts:mfa_submit", opt=PUBLIC_ROUTE)
async def mfa_submit(request: AnyRequest, data: Form) -> Response[Any]:
    try:
        started = await signin.pass_second_factor(
            session_policy(request.app),
            current_session(request.scope),
            data.get("code", "")[:40],
            address(request),
        )
    except SignInRefusedError as refused:
        return Template(
            "accounts/mfa.html", context={"errors": refused.reasons}, status_code=refused.status
        )
    return _with_session(request, started)


def _enrol_page(username: str, secret: str, errors: list[Any], status: int = 200) -> Template:
    uri = mfa.provisioning_uri(secret, username)
    context = {
        "qr_svg": mfa.qr_svg(uri),
        "secret": mfa.grouped(secret),
        "uri": uri,
        "errors": errors,
    }
    return Template("accounts/mfa_enrol.html", context=context, status_code=status)


@get("/login/mfa/enrol", name="accounts:mfa_enrol", opt=PUBLIC_ROUTE)
async def mfa_enrol_page(request: AnyRequest) -> Response[Any]:
    try:
        username, secret = await signin.enrolment_details(current_session(request.scope))
    except SignInRefusedError:
        return Redirect(request.app.route_reverse("accounts:login"), status_code=303)
    return _enrol_page(username, secret, [])


@post("/login/mfa/enrol", name="accounts:mfa_enrol_submit", opt=PUBLIC_ROUTE)
async def mfa_enrol_submit(request: AnyRequest, data: Form) -> Response[Any]:
    session = current_session(request.scope)
    try:
        started = await signin.finish_enrolment(
            session_policy(request.app), session, data.get("code", "")[:40], address(request)
        )
    except SignInRefusedError as refused:
        try:
            username, secret = await signin.enrolment_details(session)
        except SignInRefusedError:
            return Redirect(request.app.route_reverse("accounts:login"), status_code=303)
        return _enrol_page(username, secret, refused.reasons, refused.status)
    return _with_session(request, started, request.app.route_reverse("accounts:recovery_codes"))


@get(
    "/account/recovery-codes",
    name="accounts:recovery_codes",
    opt=PUBLIC_ROUTE,
    guards=[requires_sign_in],
)
async def recovery_codes_page(request: AnyRequest) -> Template:
    session = current_session(request.scope)
    codes = await signin.take_reveal(session_policy(request.app), session, "recovery_codes")
    next_path = landing(request, session.record.next_path if session else "")
    return Template(
        "accounts/recovery_codes.html", context={"codes": codes, "next_path": next_path}
    )


@get("/account/password", name="accounts:password", opt=PUBLIC_ROUTE, guards=[requires_sign_in])
async def password_page() -> Template:
    return Template("accounts/password.html", context={"errors": [], "changed": False})


@post(
    "/account/password",
    name="accounts:password_submit",
    opt=PUBLIC_ROUTE,
    guards=[requires_sign_in],
)
async def password_submit(request: AnyRequest, data: Form) -> Response[Any]:
    session = current_session(request.scope)
    try:
        await services.change_password(
            actor(request).account_id or 0,
            data.get("current_password", ""),
            data.get("password", ""),
            data.get("password_again", ""),
            keep_session=session.session_id if session else "",
        )
    except RegistryError as refused:
        return Template(
            "accounts/password.html",
            context={"errors": refused.reasons, "changed": False},
            status_code=refused.status,
        )
    return Redirect(request.app.route_reverse("accounts:password_changed"), status_code=303)


@get(
    "/account/password/changed",
    name="accounts:password_changed",
    opt=PUBLIC_ROUTE,
    guards=[requires_sign_in],
)
async def password_changed() -> Template:
    return Template("accounts/password.html", context={"errors": [], "changed": True})


@get(
    "/api/v1/accounts/me",
    name="accounts_api:me",
    opt=PUBLIC_ROUTE,
    media_type=MediaType.JSON,
)
async def whoami(request: AnyRequest) -> dict[str, Any]:
    """Who the caller is (token or session): the API's way to test a credential."""
    caller = actor(request)
    if caller.account_id is None:
        raise NotAuthorizedException("sign-in or token required")
    return {
        "username": caller.username,
        "roles": [{"role": role, "unit": unit} for role, unit in caller.roles],
        "token_scope": caller.token_scope,
    }


ACCOUNT_ROUTES: list[Any] = [
    login_page,
    login_submit,
    logout,
    mfa_page,
    mfa_submit,
    mfa_enrol_page,
    mfa_enrol_submit,
    recovery_codes_page,
    password_page,
    password_submit,
    password_changed,
    whoami,
]

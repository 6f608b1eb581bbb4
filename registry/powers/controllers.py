"""Browser management of the catalogue of powers (admins: powers/create)."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.response import Response, Template

from registry.authz.guard import actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.organisation import services
from registry.organisation.controllers import Req, form_values, render_form, submit, url
from registry.powers.schemas import power_form

_CREATE = permission(Resource.POWERS, Action.CREATE)


@get("/manage/powers/new", name="powers:new", opt=_CREATE)
async def power_new(request: Req) -> Template:
    return render_form(request, power_form(), url(request, "powers:create"), {"max_depth": "1"})


@post("/manage/powers/new", name="powers:create", opt=_CREATE)
async def power_create(request: Req) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        code = await services.define_power(actor_of(request), values)
        return url(request, "public:power", code=code)

    return await submit(request, power_form(), url(request, "powers:create"), values, change)


MANAGE_ROUTES: list[Any] = [power_new, power_create]

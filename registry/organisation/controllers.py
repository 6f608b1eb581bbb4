"""Browser management of units, positions, officials, assignments, instruments; 303 on success."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from registry.authz.guard import actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.errors import Conflict, InvalidInput, Refused
from registry.organisation import schemas, services
from registry.organisation.pages import AsOf, Links, settings_of
from registry.organisation.queries import find_instrument, parse_at

Req = Request[Any, Any, Any]
#: Refusals that re-show the form with its reasons; 403 and 404 go to the error pages.
FORM_ERRORS = (InvalidInput, Refused, Conflict)


async def form_values(request: Req) -> tuple[dict[str, Any], services.Upload | None]:
    """The submitted strings (last value of each name) and the uploaded file, if any."""
    form = await request.form()
    values: dict[str, Any] = {}
    upload: services.Upload | None = None
    for key, items in form.dict().items():
        value = items[-1]
        if isinstance(value, UploadFile):
            content = await value.read()
            if content or value.filename:
                upload = services.Upload(value.filename or "", value.content_type or "", content)
            continue
        values[key] = value
    if upload is not None and not upload.content and not upload.file_name:
        upload = None
    return values, upload


def _links(request: Req) -> Links:
    return Links(request, AsOf(parse_at("", settings_of(request).zone), ""))


def render_form(
    request: Req,
    form: schemas.FormSpec,
    action: str,
    values: Mapping[str, Any] | None = None,
    errors: list[Any] | None = None,
    *,
    status: int = 200,
    preview: bool = False,
    orphaned: list[Any] | None = None,
    **extra: Any,
) -> Template:
    template = extra.pop("template", "organisation/form.html")
    context = {
        "form": form,
        "action": action,
        "values": values or {},
        "errors": errors or [],
        "preview": preview,
        "orphaned": orphaned,
        "links": _links(request),
        "cancel": extra.pop("cancel", None),
        **extra,
    }
    return Template(template, context=context, status_code=status)


async def submit(
    request: Req,
    form: schemas.FormSpec,
    action: str,
    values: Mapping[str, Any],
    change: Callable[[], Awaitable[str]],
) -> Response[Any]:
    """Run one service; on success 303 to the URL it returns, on refusal show the form again."""
    try:
        target = await change()
    except FORM_ERRORS as exc:
        return render_form(request, form, action, values, exc.reasons, status=exc.status)
    return Redirect(path=target, status_code=303)


def url(request: Req, name: str, **params: Any) -> str:
    return request.app.route_reverse(name, **params)


def _create_perm(resource: Resource) -> dict[str, Any]:
    return permission(resource, Action.CREATE)


# ---------------------------------------------------------------- index


@get("/manage", name="organisation:manage", opt=_create_perm(Resource.UNITS))
async def manage_index() -> Template:
    """Where registrars and admins start: the forms of the organisation."""
    return Template("organisation/index.html")


# ---------------------------------------------------------------- units


@get("/manage/units/new", name="organisation:unit_new", opt=_create_perm(Resource.UNITS))
async def unit_new(request: Req) -> Template:
    return render_form(request, schemas.unit_form(), url(request, "organisation:unit_create"))


@post("/manage/units/new", name="organisation:unit_create", opt=_create_perm(Resource.UNITS))
async def unit_create(request: Req) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        code = await services.create_unit(actor_of(request), values)
        return url(request, "public:unit", code=code)

    form = schemas.unit_form()
    return await submit(request, form, url(request, "organisation:unit_create"), values, change)


_UNIT_UPDATE = permission(Resource.UNITS, Action.UPDATE)


@get("/manage/units/{code:str}/edit", name="organisation:unit_edit", opt=_UNIT_UPDATE)
async def unit_edit(request: Req, code: FromPath[str]) -> Template:
    from registry.organisation.queries import find_unit

    unit = await find_unit(code)
    values = {"name_vi": unit.name_vi, "name_en": unit.name_en, "parent_code": unit.parent_code}
    action = url(request, "organisation:unit_update", code=code)
    return render_form(request, schemas.unit_edit_form(), action, values)


@post("/manage/units/{code:str}/edit", name="organisation:unit_update", opt=_UNIT_UPDATE)
async def unit_update(request: Req, code: FromPath[str]) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        await services.update_unit(actor_of(request), code, values)
        return url(request, "public:unit", code=code)

    action = url(request, "organisation:unit_update", code=code)
    return await submit(request, schemas.unit_edit_form(), action, values, change)


async def _end_unit_step(request: Req, code: str, merge: bool) -> Response[Any]:
    values, _ = await form_values(request)
    form = schemas.unit_end_form(merge)
    name = "organisation:unit_merge" if merge else "organisation:unit_dissolve"
    action = url(request, name + "_submit", code=code)
    actor = actor_of(request)
    try:
        if values.get("step") != "confirm":
            _end, orphans = await services.preview_unit_end(actor, code, values, merge=merge)
            return render_form(request, form, action, values, preview=True, orphaned=orphans)
        await services.end_unit(actor, code, values, merge=merge)
    except FORM_ERRORS as exc:
        return render_form(request, form, action, values, exc.reasons, status=exc.status)
    return Redirect(path=url(request, "public:unit", code=code), status_code=303)


@get("/manage/units/{code:str}/merge", name="organisation:unit_merge", opt=_UNIT_UPDATE)
async def unit_merge(request: Req, code: FromPath[str]) -> Template:
    action = url(request, "organisation:unit_merge_submit", code=code)
    return render_form(request, schemas.unit_end_form(True), action)


@post("/manage/units/{code:str}/merge", name="organisation:unit_merge_submit", opt=_UNIT_UPDATE)
async def unit_merge_submit(request: Req, code: FromPath[str]) -> Response[Any]:
    return await _end_unit_step(request, code, merge=True)


@get("/manage/units/{code:str}/dissolve", name="organisation:unit_dissolve", opt=_UNIT_UPDATE)
async def unit_dissolve(request: Req, code: FromPath[str]) -> Template:
    action = url(request, "organisation:unit_dissolve_submit", code=code)
    return render_form(request, schemas.unit_end_form(False), action)


@post(
    "/manage/units/{code:str}/dissolve",
    name="organisation:unit_dissolve_submit",
    opt=_UNIT_UPDATE,
)
async def unit_dissolve_submit(request: Req, code: FromPath[str]) -> Response[Any]:
    return await _end_unit_step(request, code, merge=False)


# ---------------------------------------------------------------- positions and officials


@get(
    "/manage/positions/new", name="organisation:position_new", opt=_create_perm(Resource.POSITIONS)
)
async def position_new(request: Req) -> Template:
    action = url(request, "organisation:position_create")
    return render_form(request, schemas.position_form(), action)


@post(
    "/manage/positions/new",
    name="organisation:position_create",
    opt=_create_perm(Resource.POSITIONS),
)
async def position_create(request: Req) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        code = await services.create_position(actor_of(request), values)
        return url(request, "public:position", code=code)

    action = url(request, "organisation:position_create")
    return await submit(request, schemas.position_form(), action, values, change)


@get(
    "/manage/officials/new", name="organisation:official_new", opt=_create_perm(Resource.OFFICIALS)
)
async def official_new(request: Req) -> Template:
    action = url(request, "organisation:official_create")
    return render_form(request, schemas.official_form(), action)


@post(
    "/manage/officials/new",
    name="organisation:official_create",
    opt=_create_perm(Resource.OFFICIALS),
)
async def official_create(request: Req) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        code = await services.create_official(actor_of(request), values)
        return url(request, "organisation:official_edit", code=code)

    action = url(request, "organisation:official_create")
    return await submit(request, schemas.official_form(), action, values, change)


_OFFICIAL_UPDATE = permission(Resource.OFFICIALS, Action.UPDATE)


@get("/manage/officials/{code:str}", name="organisation:official_edit", opt=_OFFICIAL_UPDATE)
async def official_edit(request: Req, code: FromPath[str]) -> Template:
    """The official with private fields: admins and registrars of the official's units only."""
    stored = await services.official_for_edit(actor_of(request), code)
    action = url(request, "organisation:official_update", code=code)
    public = url(request, "public:official", code=code)
    return render_form(request, schemas.official_form(new=False), action, stored, cancel=public)


@post("/manage/officials/{code:str}", name="organisation:official_update", opt=_OFFICIAL_UPDATE)
async def official_update(request: Req, code: FromPath[str]) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        await services.update_official(actor_of(request), code, values)
        return url(request, "organisation:official_edit", code=code)

    action = url(request, "organisation:official_update", code=code)
    return await submit(request, schemas.official_form(new=False), action, values, change)


# ---------------------------------------------------------------- assignments


@get(
    "/manage/assignments/new",
    name="organisation:assignment_new",
    opt=_create_perm(Resource.ASSIGNMENTS),
)
async def assignment_new(request: Req) -> Template:
    action = url(request, "organisation:assignment_create")
    return render_form(request, schemas.assignment_form(), action)


@post(
    "/manage/assignments/new",
    name="organisation:assignment_create",
    opt=_create_perm(Resource.ASSIGNMENTS),
)
async def assignment_create(request: Req) -> Response[Any]:
    values, _ = await form_values(request)

    async def change() -> str:
        record = await services.appoint(actor_of(request), values)
        return url(request, "public:position", code=record["position_code"])

    action = url(request, "organisation:assignment_create")
    return await submit(request, schemas.assignment_form(), action, values, change)


_ASSIGNMENT_UPDATE = permission(Resource.ASSIGNMENTS, Action.UPDATE)


@get("/manage/assignments/end", name="organisation:assignment_end", opt=_ASSIGNMENT_UPDATE)
async def assignment_end(
    request: Req, official_code: FromQuery[str] = "", position_code: FromQuery[str] = ""
) -> Template:
    action = url(request, "organisation:assignment_end_submit")
    values = {"official_code": official_code, "position_code": position_code}
    return render_form(request, schemas.vacancy_form(), action, values)


@post("/manage/assignments/end", name="organisation:assignment_end_submit", opt=_ASSIGNMENT_UPDATE)
async def assignment_end_submit(request: Req) -> Response[Any]:
    values, _ = await form_values(request)
    form = schemas.vacancy_form()
    action = url(request, "organisation:assignment_end_submit")
    actor = actor_of(request)
    try:
        if values.get("step") != "confirm":
            _record, orphans = await services.preview_vacancy(actor, values)
            return render_form(request, form, action, values, preview=True, orphaned=orphans)
        record = await services.end_assignment(actor, values)
    except FORM_ERRORS as exc:
        return render_form(request, form, action, values, exc.reasons, status=exc.status)
    target = url(request, "public:position", code=record["position_code"])
    return Redirect(path=target, status_code=303)


# ---------------------------------------------------------------- instruments and files


@get(
    "/manage/instruments/new",
    name="organisation:instrument_new",
    opt=_create_perm(Resource.INSTRUMENTS),
)
async def instrument_new(request: Req) -> Template:
    action = url(request, "organisation:instrument_create")
    return render_form(request, schemas.instrument_form(), action, {"public": "true"})


@post(
    "/manage/instruments/new",
    name="organisation:instrument_create",
    opt=_create_perm(Resource.INSTRUMENTS),
)
async def instrument_create(request: Req) -> Response[Any]:
    values, upload = await form_values(request)
    data_dir = settings_of(request).data_dir

    async def change() -> str:
        record = await services.record_instrument(actor_of(request), values, upload, data_dir)
        return _file_page(request, record["number"])

    action = url(request, "organisation:instrument_create")
    return await submit(request, schemas.instrument_form(), action, values, change)


_INSTRUMENT_UPDATE = permission(Resource.INSTRUMENTS, Action.UPDATE)


def _file_page(request: Req, number: str) -> str:
    return f"{url(request, 'organisation:instrument_file')}?{urlencode({'number': number})}"


@get("/manage/instruments/file", name="organisation:instrument_file", opt=_INSTRUMENT_UPDATE)
async def instrument_file(request: Req, number: FromQuery[str] = "") -> Template:
    """The upload form; with `number`, the instrument and the SHA-256 of its stored file."""
    instrument = await find_instrument(number, public_only=False) if number else None
    action = url(request, "organisation:instrument_file_submit")
    return render_form(
        request,
        schemas.instrument_file_form(),
        action,
        {"number": number},
        template="organisation/instrument_file.html",
        instrument=instrument,
    )


@post(
    "/manage/instruments/file", name="organisation:instrument_file_submit", opt=_INSTRUMENT_UPDATE
)
async def instrument_file_submit(request: Req) -> Response[Any]:
    values, upload = await form_values(request)
    number = str(values.get("number", ""))
    data_dir = settings_of(request).data_dir

    async def change() -> str:
        file = upload or services.Upload("", "", b"")
        await services.attach_file(actor_of(request), number, file, data_dir)
        return _file_page(request, number)

    action = url(request, "organisation:instrument_file_submit")
    return await submit(request, schemas.instrument_file_form(), action, values, change)


# ---------------------------------------------------------------- bulk import


def _import_page(
    request: Req,
    values: Mapping[str, Any] | None = None,
    errors: list[Any] | None = None,
    report: Any = None,
    status: int = 200,
) -> Template:
    context = {
        "kinds": services.IMPORT_KINDS,
        "values": values or {},
        "errors": errors or [],
        "report": report,
    }
    return Template("organisation/import.html", context=context, status_code=status)


@get("/manage/import", name="organisation:import", opt=_create_perm(Resource.UNITS))
async def import_form(request: Req) -> Template:
    """Choose a kind and a CSV or JSON file; a dry run first shows what would change."""
    return _import_page(request)


@post("/manage/import", name="organisation:import_submit", opt=_create_perm(Resource.UNITS))
async def import_submit(request: Req) -> Template:
    """Runs in the request (files of 20,000 rows take seconds) and shows the final report."""
    values, upload = await form_values(request)
    dry_run = values.get("mode") != "import"
    kind = str(values.get("kind", ""))
    try:
        report = await services.import_upload(
            actor_of(request), kind, upload or services.Upload("", "", b""), dry_run=dry_run
        )
    except FORM_ERRORS as exc:
        return _import_page(request, values, exc.reasons, status=exc.status)
    return _import_page(request, values, report=report)


MANAGE_ROUTES: list[Any] = [
    import_form,
    import_submit,
    manage_index,
    unit_new,
    unit_create,
    unit_edit,
    unit_update,
    unit_merge,
    unit_merge_submit,
    unit_dissolve,
    unit_dissolve_submit,
    position_new,
    position_create,
    official_new,
    official_create,
    official_edit,
    official_update,
    assignment_new,
    assignment_create,
    assignment_end,
    assignment_end_submit,
    instrument_new,
    instrument_create,
    instrument_file,
    instrument_file_submit,
]

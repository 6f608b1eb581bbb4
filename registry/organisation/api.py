"""JSON API of the organisation: public reads as of a date with keyset pages; writes by services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.authz.guard import PUBLIC_ROUTE, actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.domain.validity import utc_string
from registry.organisation import queries, schemas, services
from registry.organisation.pages import settings_of, unit_page_model

Req = Request[Any, Any, Any]
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="At most 500")]
After = Annotated[str, QueryParameter(description="Keyset cursor: the last code of the page")]
At = Annotated[str, QueryParameter(description="As of: YYYY-MM-DD (local midnight) or ISO")]
_ERR = schemas.ErrorAnswer
READ_ERRORS = {
    400: ResponseSpec(_ERR, description="Invalid parameter (INVALID_REQUEST, INVALID_DATE)"),
    404: ResponseSpec(_ERR, description="Not found (NOT_FOUND)"),
}
WRITE_ERRORS = {
    400: ResponseSpec(_ERR, description="Unreadable input (FIELD_REQUIRED, INVALID_DATE, ...)"),
    401: ResponseSpec(_ERR, description="Sign-in or a bearer token is required"),
    403: ResponseSpec(_ERR, description="Outside your domain (FORBIDDEN)"),
    409: ResponseSpec(_ERR, description="Already recorded (CONFLICT)"),
    422: ResponseSpec(_ERR, description="Refused by a rule (UNKNOWN_REFERENCE, ...)"),
}


def _iso(value: datetime | None) -> str | None:
    return utc_string(value) if value is not None else None


def _at(request: Req, at: str) -> datetime:
    return queries.parse_at(at, settings_of(request).zone)


def unit_answer(u: queries.UnitRow) -> schemas.Unit:
    return schemas.Unit(
        u.code,
        u.name_vi,
        u.name_en,
        u.kind,
        u.tier,
        u.parent_code,
        u.works_collectively,
        utc_string(u.valid_from),
        _iso(u.valid_to),
        u.merged_into,
    )


def holder_answer(h: queries.HolderRow) -> schemas.Holder:
    return schemas.Holder(
        h.official_code, h.display_name, h.position_code, utc_string(h.valid_from), _iso(h.valid_to)
    )


def position_answer(p: queries.PositionRow, at: datetime) -> schemas.Position:
    return schemas.Position(
        p.code,
        p.unit_code,
        p.title_vi,
        p.title_en,
        p.is_head,
        p.is_deputy,
        utc_string(p.valid_from),
        _iso(p.valid_to),
        [holder_answer(h) for h in p.holders if h.in_force(at)],
    )


def _next(codes: list[str], limit: int) -> str | None:
    return codes[limit - 1] if len(codes) > limit else None


@get("/api/v1/units", name="organisation_api:units", opt=PUBLIC_ROUTE, responses=READ_ERRORS)
async def list_units(
    request: Req, at: At = "", after: After = "", limit: Limit = 100
) -> schemas.UnitsPage:
    """Units in existence at `at`, by code."""
    rows = await queries.units_page(_at(request, at), after, limit)
    return schemas.UnitsPage(
        [unit_answer(u) for u in rows[:limit]], _next([u.code for u in rows], limit)
    )


@get(
    "/api/v1/units/{code:str}",
    name="organisation_api:unit",
    opt=PUBLIC_ROUTE,
    responses=READ_ERRORS,
)
async def get_unit(request: Req, code: FromPath[str], at: At = "") -> schemas.UnitDetail:
    """One unit with its positions (holders at `at`), powers held by law and orphaned grants."""
    when = _at(request, at)
    model = await unit_page_model(code, when)
    return schemas.UnitDetail(
        unit_answer(model.unit),
        [c.code for c in model.children],
        [position_answer(p, when) for p in model.positions if p.exists_at(when)],
        [p.code for p in model.powers],
        sorted({o.grant_id for o in model.orphaned}),
    )


@get(
    "/api/v1/positions",
    name="organisation_api:positions",
    opt=PUBLIC_ROUTE,
    responses=READ_ERRORS,
)
async def list_positions(
    request: Req, at: At = "", after: After = "", limit: Limit = 100
) -> schemas.PositionsPage:
    """Positions in existence at `at`, by code, with their holders then."""
    when = _at(request, at)
    rows = await queries.positions_page(when, after, limit)
    return schemas.PositionsPage(
        [position_answer(p, when) for p in rows[:limit]], _next([p.code for p in rows], limit)
    )


@get(
    "/api/v1/officials",
    name="organisation_api:officials",
    opt=PUBLIC_ROUTE,
    responses=READ_ERRORS,
)
async def list_officials(
    request: Req, at: At = "", after: After = "", limit: Limit = 100
) -> schemas.OfficialsPage:
    """Officials by code: public fields and the positions held at `at`, nothing private."""
    when = _at(request, at)
    rows = await queries.officials_page(when, after, limit)
    items = [
        schemas.Official(code, name, [holder_answer(h) for h in held])
        for code, name, held in rows[:limit]
    ]
    return schemas.OfficialsPage(items, _next([r[0] for r in rows], limit))


@post(
    "/api/v1/units",
    name="organisation_api:create_unit",
    opt=permission(Resource.UNITS, Action.CREATE),
    responses=WRITE_ERRORS,
)
async def create_unit(request: Req, data: JSONBody[schemas.UnitCreate]) -> schemas.Unit:
    """Record a unit (registrars: under a unit of their domain); 201 with the unit."""
    code = await services.create_unit(actor_of(request), _fields(data))
    return unit_answer(await queries.find_unit(code))


@post(
    "/api/v1/officials",
    name="organisation_api:create_official",
    opt=permission(Resource.OFFICIALS, Action.CREATE),
    responses=WRITE_ERRORS,
)
async def create_official(request: Req, data: JSONBody[schemas.OfficialCreate]) -> schemas.Official:
    """Record an official; the answer and the ledger carry the public fields only."""
    code = await services.create_official(actor_of(request), _fields(data))
    name, _history = await queries.official_history(code)
    return schemas.Official(code, name, [])


@post(
    "/api/v1/assignments",
    name="organisation_api:create_assignment",
    opt=permission(Resource.ASSIGNMENTS, Action.CREATE),
    responses=WRITE_ERRORS,
)
async def create_assignment(
    request: Req, data: JSONBody[schemas.AssignmentCreate]
) -> schemas.Assignment:
    """Appoint; with `transfer_from` the old post ends at `valid_from` in the same transaction."""
    record = await services.appoint(actor_of(request), _fields(data))
    return schemas.Assignment(
        record["official_code"],
        record["position_code"],
        utc_string(record["valid_from"]),
        _iso(record["valid_to"]),
        record["instrument_number"] or None,
    )


def _fields(data: Any) -> dict[str, Any]:
    import msgspec

    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}


API_ROUTES: list[Any] = [
    list_units,
    get_unit,
    list_positions,
    list_officials,
    create_unit,
    create_official,
    create_assignment,
]

"""The acts JSON API: record and trace one act, import many, read one."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.params import FromQuery, Parameter

from registry.acts.importing import import_acts_bytes
from registry.acts.records import read_act
from registry.acts.services import act_detail, record_act
from registry.authz.guard import actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.errors import InvalidInput
from registry.importing.fields import FieldReader
from registry.web.api_docs import error_responses


class ActCreate(msgspec.Struct, forbid_unknown_fields=True):
    """One signed act, with the columns of acts.csv."""

    number: str
    issuing_unit_code: str
    power_code: str
    signer_official_code: str
    signer_position_code: str
    signature_form: str
    signed_at: str
    unit_code: str
    sector: str
    act_type: str
    type: str = "decision"
    amount: int | None = None
    file_sha256: str | None = None


@post(
    "/api/v1/acts",
    name="acts_api:create",
    opt=permission(Resource.ACTS, Action.RECORD),
    responses=error_responses(400, 401, 403, 422),
)
async def create_act(request: Request[Any, Any, Any], data: ActCreate) -> dict[str, Any]:
    """Record an act and trace it to the authority in force when it was signed."""
    reader = FieldReader(msgspec.structs.asdict(data))
    act = read_act(reader)
    if act is None:
        raise InvalidInput(reader.reasons)
    act_id = await record_act(act, actor_of(request))
    return (await act_detail(act_id)).as_json()


@post(
    "/api/v1/acts/import",
    name="acts_api:import",
    opt=permission(Resource.ACTS, Action.IMPORT),
    status_code=200,
    responses=error_responses(400, 401, 403),
)
async def import_acts(
    request: Request[Any, Any, Any], file_name: FromQuery[str] = "acts.csv"
) -> dict[str, Any]:
    """A CSV or JSON file of acts as the request body; the answer says what became of each row."""
    report = await import_acts_bytes(await request.body(), file_name, actor=actor_of(request))
    return report.as_json()


@get(
    "/api/v1/acts/{act_id:int}",
    name="acts_api:detail",
    opt=permission(Resource.ACTS, Action.READ),
    responses=error_responses(400, 401, 403, 404),
)
async def get_act(act_id: Annotated[int, Parameter(ge=1, le=2_147_483_647)]) -> dict[str, Any]:
    """An act with its verdict, reasons, frozen chain and ledger entry index."""
    return (await act_detail(act_id)).as_json()


API_ROUTES = [create_act, import_acts, get_act]

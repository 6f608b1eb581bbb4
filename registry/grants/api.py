"""JSON API of grants: list, read, make (and precheck), amend, suspend, resume, revoke, renounce."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import Parameter

from registry.authz.check import ChainLink
from registry.authz.guard import actor_of, permission
from registry.authz.permissions import Action, Resource
from registry.errors import InvalidInput, Refused
from registry.grants import lifecycle
from registry.grants.queries import GrantView, grant_detail, iso, list_grants
from registry.grants.schemas import (
    ChainLinkOut,
    GrantAmend,
    GrantCreate,
    GrantDetail,
    GrantEventIn,
    GrantEventOut,
    GrantOut,
    GrantPage,
    Made,
    Precheck,
    RevocationImpactOut,
    ScopeOut,
)
from registry.grants.services import make_grant, precheck_grant
from registry.importing.fields import FieldReader
from registry.web.api_docs import error_responses, to_builtins

TAGS = ["grants"]
#: Grant numbers are positive 32-bit integers; anything else is a 400, never a database error.
GrantId = Annotated[int, Parameter(ge=1, le=2_147_483_647)]


def grant_out(view: GrantView) -> GrantOut:
    return GrantOut(
        grant=view.lineage,
        version=view.version,
        kind=view.kind,
        power=view.power,
        grantor=view.grantor,
        grantee=view.grantee,
        parent=view.parent,
        depth=view.depth,
        scope=ScopeOut(
            list(view.territory),
            list(view.sectors) if view.sectors else None,
            list(view.act_types) if view.act_types else None,
            view.amount_ceiling,
        ),
        valid_from=iso(view.valid_from) or "",
        valid_to=iso(view.valid_to),
        may_pass_on=view.may_pass_on,
        responsible=view.responsible,
        instrument=view.instrument,
        status=view.status,
        recorded_by=view.recorded_by,
        recorded_for=view.recorded_for,
        ledger_index=view.ledger_index,
        conditions_vi=view.conditions_vi,
        conditions_en=view.conditions_en,
    )


@lru_cache(maxsize=8192)
def link_out(link: ChainLink) -> ChainLinkOut:
    """Kept per link (links are immutable and repeat from check to check); callers only
    encode the result, never change it."""
    return ChainLinkOut(
        grant=link.grant,
        version=link.version,
        kind=link.kind,
        grantor=link.grantor,
        grantee=link.grantee,
        territory=list(link.territory),
        sectors=list(link.sectors) if link.sectors else None,
        act_types=list(link.act_types) if link.act_types else None,
        amount_ceiling=link.amount_ceiling,
        valid_from=link.valid_from,
        valid_to=link.valid_to,
        instrument=link.instrument,
        ledger_index=link.ledger_index,
    )


def _at(value: str | None) -> datetime | None:
    if not value:
        return None
    reader = FieldReader({"at": value})
    at = reader.instant("at")
    if not reader.ok:
        raise InvalidInput(reader.reasons)
    return at


@get(
    "/api/v1/grants",
    name="grants_api:list",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.READ),
    responses=error_responses(400),
)
async def grants_index(
    power: str | None = None,
    grantor: str | None = None,
    grantee: str | None = None,
    unit: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    at: str | None = None,
    after: int = Parameter(default=0, ge=0),
    limit: int = Parameter(default=50, ge=1, le=500),
) -> GrantPage:
    """Grants with filters, as of `at` (default now), by grant number after `after`."""
    views, next_after = await list_grants(
        power=power,
        grantor=grantor,
        grantee=grantee,
        unit=unit,
        kind=kind,
        status=status,
        at=_at(at),
        after=after,
        limit=limit,
    )
    return GrantPage([grant_out(v) for v in views], next_after)


@get(
    "/api/v1/grants/{grant_id:int}",
    name="grants_api:detail",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.READ),
    responses=error_responses(400, 404),
)
async def grant_show(grant_id: GrantId, at: str | None = None) -> GrantDetail:
    """One grant with its chain from the lawful holder, its history and versions."""
    detail = await grant_detail(grant_id, _at(at))
    return GrantDetail(
        grant=grant_out(detail.grant),
        chain=[link_out(link) for link in detail.chain],
        history=[
            GrantEventOut(e.event, iso(e.at) or "", e.actor, e.reason, e.instrument, e.ledger_index)
            for e in detail.history
        ],
        versions=[grant_out(v) for v in detail.versions],
        sub_grants=detail.sub_grants,
    )


@post(
    "/api/v1/grants",
    name="grants_api:create",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.GRANT),
    status_code=201,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
async def grant_create(request: Request[Any, Any, Any], data: GrantCreate) -> Made:
    """Make a grant: the rules, the ledger entry and the policy rows, all or nothing."""
    outcome = await make_grant(to_builtins(data), actor_of(request))
    assert outcome.lineage is not None
    detail = await grant_detail(outcome.lineage)
    return Made(outcome.lineage, outcome.ledger_index, [link_out(link) for link in detail.chain])


@post(
    "/api/v1/grants/precheck",
    name="grants_api:precheck",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.GRANT),
    status_code=200,
    responses=error_responses(400, 401, 403),
)
async def grant_precheck(request: Request[Any, Any, Any], data: GrantCreate) -> Precheck:
    """A dry run: the reason codes, or the chain the grant would join. Stores nothing."""
    outcome, reasons = await precheck_grant(to_builtins(data), actor_of(request))
    if outcome is None:
        return Precheck(False, [r.as_json() for r in reasons], [])
    chain = []
    for record in outcome.chain:
        scope = record.scope
        chain.append(
            ChainLinkOut(
                grant=record.id or None,
                version=record.version,
                kind=record.kind.value,
                grantor=str(record.grantor),
                grantee=str(record.grantee),
                territory=sorted(scope.territory),
                sectors=sorted(scope.sectors) if scope.sectors else None,
                act_types=sorted(scope.act_types) if scope.act_types else None,
                amount_ceiling=scope.amount_ceiling,
                valid_from=iso(record.validity.valid_from) or "",
                valid_to=iso(record.validity.valid_to),
                instrument=None,
                ledger_index=None,
            )
        )
    return Precheck(True, [], chain)


def _event_values(data: GrantEventIn | GrantAmend) -> dict[str, Any]:
    values = to_builtins(data)
    values.pop("dry_run", None)
    return values


@post(
    "/api/v1/grants/{grant_id:int}/amend",
    name="grants_api:amend",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.AMEND),
    status_code=200,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def grant_amend(
    request: Request[Any, Any, Any], grant_id: GrantId, data: GrantAmend
) -> GrantDetail:
    """A new version from `at`; the old one is kept and linked. Cannot widen beyond the source."""
    await lifecycle.amend_grant(grant_id, _event_values(data), actor_of(request))
    return await grant_show.fn(grant_id=grant_id, at=None)


async def _event(
    request: Request[Any, Any, Any], grant_id: int, data: GrantEventIn, action: Any
) -> GrantDetail:
    await action(grant_id, _event_values(data), actor_of(request))
    return await grant_show.fn(grant_id=grant_id, at=None)


@post(
    "/api/v1/grants/{grant_id:int}/suspend",
    name="grants_api:suspend",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.SUSPEND),
    status_code=200,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def grant_suspend(
    request: Request[Any, Any, Any], grant_id: GrantId, data: GrantEventIn
) -> GrantDetail:
    return await _event(request, grant_id, data, lifecycle.suspend_grant)


@post(
    "/api/v1/grants/{grant_id:int}/resume",
    name="grants_api:resume",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.SUSPEND),
    status_code=200,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def grant_resume(
    request: Request[Any, Any, Any], grant_id: GrantId, data: GrantEventIn
) -> GrantDetail:
    return await _event(request, grant_id, data, lifecycle.resume_grant)


@post(
    "/api/v1/grants/{grant_id:int}/renounce",
    name="grants_api:renounce",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.RENOUNCE),
    status_code=200,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def grant_renounce(
    request: Request[Any, Any, Any], grant_id: GrantId, data: GrantEventIn
) -> GrantDetail:
    return await _event(request, grant_id, data, lifecycle.renounce_grant)


@post(
    "/api/v1/grants/{grant_id:int}/revoke",
    name="grants_api:revoke",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.REVOKE),
    status_code=200,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def grant_revoke(
    request: Request[Any, Any, Any], grant_id: GrantId, data: GrantEventIn
) -> RevocationImpactOut:
    """Revoke (reason and instrument required); `dry_run` answers the impact and stores nothing."""
    if data.dry_run:
        impact = await lifecycle.preview_revocation(grant_id, _at(data.at))
        return RevocationImpactOut(grant_id, True, None, [r.id for r in impact.descendants])
    index, impact = await lifecycle.revoke_grant(grant_id, _event_values(data), actor_of(request))
    return RevocationImpactOut(grant_id, False, index, [r.id for r in impact.descendants])


ROUTES = [
    grants_index,
    grant_show,
    grant_create,
    grant_precheck,
    grant_amend,
    grant_suspend,
    grant_resume,
    grant_renounce,
    grant_revoke,
]
__all__ = ["ROUTES", "Refused"]

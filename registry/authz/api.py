"""The check API: may this official sign this act now (or then), and through which chain?"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post

from registry.authz.check import CheckOutcome, check_authority
from registry.authz.engine import POLICY_VERSION_SEEN, AuthorityEngine, authority_engine
from registry.authz.facts import CachedFacts
from registry.authz.guard import permission
from registry.authz.holders import holders_at
from registry.authz.permissions import Action, Resource
from registry.authz.schemas import BatchIn, BatchOut, CheckIn, CheckOut, HolderOut, HoldersOut
from registry.domain.facts import ActFacts
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.validity import utc_string
from registry.errors import InvalidInput, NotFound
from registry.grants.api import link_out
from registry.importing.fields import FieldReader
from registry.web.api_docs import error_responses

TAGS = ["check"]
MAX_BATCH = 1000


def _at(value: str | None) -> datetime | None:
    if not value:
        return None
    reader = FieldReader({"at": value})
    at = reader.instant("at")
    if not reader.ok:
        raise InvalidInput(reader.reasons)
    return at


async def _facts(data: CheckIn, engine: AuthorityEngine) -> tuple[Party, ActFacts]:
    reader = FieldReader({"official": data.official, "position": data.position})
    official = reader.code("official", required=False)
    position = reader.code("position", required=False)
    if bool(official) == bool(position):
        raise InvalidInput([Reason.of(ReasonCode.FIELD_REQUIRED, "official")])
    power = (await CachedFacts(engine).powers()).get(data.power)
    if power is None:
        raise NotFound("power")
    subject = (
        Party(PartyKind.OFFICIAL, official) if official else Party(PartyKind.POSITION, position)
    )
    act_types = sorted(power.act_types)
    facts = ActFacts(
        unit=data.facts.unit,
        sector=data.facts.sector or power.sector,
        act_type=data.facts.act_type or (act_types[0] if len(act_types) == 1 else ""),
        amount=data.facts.amount,
    )
    if not facts.act_type:
        raise InvalidInput([Reason.of(ReasonCode.FIELD_REQUIRED, "facts.act_type")])
    return subject, facts


_PLAIN_REASONS: dict[tuple[ReasonCode, str | None], dict[str, object]] = {}


def _reason_json(reason: Reason) -> dict[str, object]:
    """`reason.as_json()`, kept for reasons without parameters (their text never changes)."""
    if reason.params:
        return reason.as_json()
    key = (reason.code, reason.field)
    found = _PLAIN_REASONS.get(key)
    if found is None:
        found = _PLAIN_REASONS[key] = reason.as_json()
    return dict(found)


def check_out(outcome: CheckOutcome) -> CheckOut:
    return CheckOut(
        allowed=outcome.allowed,
        subject=str(outcome.subject),
        acting_as=str(outcome.acting_as) if outcome.acting_as else None,
        power=outcome.power,
        at=utc_string(outcome.at),
        reasons=[_reason_json(reason) for reason in outcome.reasons],
        chain=[link_out(link) for link in outcome.chain],
        checked_at=utc_string(outcome.checked_at),
        policy_version=outcome.policy_version,
    )


async def _check_one(data: CheckIn, seen: int | None = None) -> CheckOut:
    """`seen`: the version read while this request was authenticated; a check writes nothing,
    so when the engine is still at it the request is answered under it without a second read."""
    engine = authority_engine()
    if seen is None or seen != engine.version:
        await engine.refresh()  # once: the facts and the decision read the same version
    subject, facts = await _facts(data, engine)
    outcome = await check_authority(
        subject, data.power, facts, _at(data.at), engine=engine, refreshed=True
    )
    return check_out(outcome)


@post(
    "/api/v1/check",
    name="check_api:check",
    tags=TAGS,
    status_code=200,
    opt=permission(Resource.CHECK, Action.READ),
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
async def check(data: CheckIn, request: Request[Any, Any, Any]) -> CheckOut:
    """Decided by the Casbin model in `policies/authority_model.conf`; explained by its chain."""
    return await _check_one(data, request.scope["state"].get(POLICY_VERSION_SEEN))


@post(
    "/api/v1/check/batch",
    name="check_api:batch",
    tags=TAGS,
    status_code=200,
    opt=permission(Resource.CHECK, Action.READ),
    responses=error_responses(400, 401, 403, 404, 422),
)
async def check_batch(data: BatchIn, request: Request[Any, Any, Any]) -> BatchOut:
    """Up to 1,000 checks in one call, answered in order."""
    if len(data.checks) > MAX_BATCH:
        raise InvalidInput([Reason.of(ReasonCode.FIELD_TOO_LONG, "checks", max_length=MAX_BATCH)])
    seen = request.scope["state"].get(POLICY_VERSION_SEEN)
    return BatchOut([await _check_one(item, seen) for item in data.checks])


@get(
    "/api/v1/holders",
    name="check_api:holders",
    tags=TAGS,
    opt=permission(Resource.GRANTS, Action.READ),
    responses=error_responses(400, 404),
)
async def holders(
    power: str, unit: str, at: str | None = None, act_type: str | None = None
) -> HoldersOut:
    """Who can exercise power X in unit Y on date D, each with the chain they hold it through."""
    when = _at(at) or datetime.now(UTC)
    found = await holders_at(power, unit, when, act_type)
    return HoldersOut(
        power,
        unit,
        utc_string(when),
        [HolderOut(str(h.holder), h.source, [link_out(link) for link in h.chain]) for h in found],
    )


ROUTES = [check, check_batch, holders]

"""Who can exercise a power in a unit at a time: every subject the engine allows, with chains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.authz.check import ChainLink, build_chain, request_row
from registry.authz.engine import AuthorityEngine, authority_engine
from registry.domain.facts import ActFacts
from registry.domain.parties import Party
from registry.errors import NotFound
from registry.grants import repository


@dataclass(frozen=True, slots=True)
class Holder:
    holder: Party
    source: str
    chain: list[ChainLink]


async def holders_at(
    power: str,
    unit: str,
    at: datetime,
    act_type: str | None = None,
    engine: AuthorityEngine | None = None,
) -> list[Holder]:
    engine = engine or authority_engine()
    await engine.refresh()
    facts = await repository.power_facts(power)
    if facts is None:
        raise NotFound("power")
    act_types = [act_type] if act_type else sorted(facts.act_types) or [""]
    subjects = sorted({row[0] for row in engine.rows_by_power.get(power, [])})
    found: list[Holder] = []
    records = await repository.grant_records(power=power)
    for subject in subjects:
        for kind in act_types:
            request = request_row(
                Party.parse(subject), power, ActFacts(unit, facts.sector, kind, 0), at
            )
            decision = engine.decide(request)
            if decision.allowed and decision.row is not None:
                source = decision.row[8]
                chain = await build_chain(power, source, at, records)
                found.append(Holder(Party.parse(subject), source, chain))
                break
    return found

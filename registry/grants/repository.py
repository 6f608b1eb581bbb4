"""Load what the grant rules need from the database, as plain domain records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from registry.domain.grants import EndReason, GrantRecord, InstrumentFacts, PowerFacts
from registry.domain.kinds import GrantKind
from registry.domain.parties import Party, PartyKind
from registry.domain.scope import Scope
from registry.domain.units import UnitTree
from registry.domain.validity import Validity, intersect
from registry.grants.tables import Grant, GrantEvent
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit
from registry.powers.tables import Power

_END = {
    "revoked": EndReason.REVOKED,
    "renounced": EndReason.RENOUNCED,
    "superseded": EndReason.SUPERSEDED,
}


def _words(text: str) -> frozenset[str] | None:
    words = frozenset(text.split())
    return words or None


def power_from_row(row: dict[str, Any], holder_unit: str) -> PowerFacts:
    return PowerFacts(
        code=row["code"],
        sector=row["sector"],
        lawful_holder=Party.parse(row["holder"]),
        holder_unit=holder_unit,
        act_types=frozenset(row["act_types"].split()),
        kinds_allowed=frozenset(GrantKind(k) for k in row["grant_kinds"].split()),
        non_delegable=row["non_delegable"],
        max_depth=row["max_depth"],
        amount_ceiling=row["amount_ceiling"],
        exclusive=row["exclusive"],
    )


async def unit_tree() -> UnitTree:
    rows = await Unit.select(Unit.code, Unit.parent.code.as_alias("parent_code"))
    return UnitTree({r["code"]: r["parent_code"] for r in rows})


async def power_facts(code: str) -> PowerFacts | None:
    row = (
        await Power.select(
            *Power.all_columns(), Power.holder_unit.code.as_alias("holder_unit_code")
        )
        .where(Power.code == code)
        .first()
    )
    return None if row is None else power_from_row(row, row["holder_unit_code"])


async def all_powers() -> dict[str, PowerFacts]:
    rows = await Power.select(
        *Power.all_columns(), Power.holder_unit.code.as_alias("holder_unit_code")
    )
    return {r["code"]: power_from_row(r, r["holder_unit_code"]) for r in rows}


def record_from_row(row: dict[str, Any], suspensions: tuple[Validity, ...]) -> GrantRecord:
    ended_at = row["ended_at"]
    return GrantRecord(
        id=row["lineage"],
        power=row["power_code"],
        kind=GrantKind(row["kind"]),
        grantor=Party.parse(row["grantor"]),
        grantee=Party.parse(row["grantee"]),
        parent_id=row["parent_lineage"],
        scope=Scope(
            territory=frozenset(row["territory"].split()),
            sectors=_words(row["sectors"]),
            act_types=_words(row["act_types"]),
            amount_ceiling=row["amount_ceiling"],
        ),
        validity=Validity(row["valid_from"], row["valid_to"]),
        may_pass_on=row["may_pass_on"],
        depth=row["depth"],
        created_at=row["recorded_at"],
        suspensions=suspensions,
        ended_at=ended_at,
        end_reason=_END.get(row["state"]) if ended_at is not None else None,
        version=row["version"],
        effective_from=row["effective_from"],
    )


def suspension_intervals(events: Iterable[dict[str, Any]]) -> tuple[Validity, ...]:
    """Pair each suspension with the resumption after it; an unpaired one is still running."""
    intervals: list[Validity] = []
    started: datetime | None = None
    for event in sorted(events, key=lambda e: (e["at"], e["id"])):
        if event["event"] == "suspended" and started is None:
            started = event["at"]
        elif event["event"] == "resumed" and started is not None:
            if event["at"] > started:
                intervals.append(Validity(started, event["at"]))
            started = None
    if started is not None:
        intervals.append(Validity(started, None))
    return tuple(intervals)


GRANT_COLUMNS = (*Grant.all_columns(), Grant.power.code.as_alias("power_code"))


async def grant_records(
    power: str | None = None, lineages: Iterable[int] | None = None
) -> list[GrantRecord]:
    """Every version of the chosen grants, with their suspensions."""
    query = Grant.select(*GRANT_COLUMNS)

    def events_query() -> Any:
        return GrantEvent.select(
            GrantEvent.id, GrantEvent.lineage, GrantEvent.event, GrantEvent.at
        ).where(GrantEvent.event.is_in(["suspended", "resumed"]))

    if power is not None:
        query = query.where(Grant.power.code == power)
    if lineages is not None:
        wanted = sorted(set(lineages))
        if not wanted:
            return []
        query = query.where(Grant.lineage.is_in(wanted))
    rows = await query
    by_lineage: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if power is None and lineages is None:
        events = await events_query()
    else:
        # Only the suspensions of the grants read, found through the lineage index.
        mine = sorted({r["lineage"] for r in rows})
        events = []
        for start in range(0, len(mine), 500):
            chunk = mine[start : start + 500]
            events += await events_query().where(GrantEvent.lineage.is_in(chunk))
    for event in events:
        by_lineage[event["lineage"]].append(event)
    suspensions = {lineage: suspension_intervals(events) for lineage, events in by_lineage.items()}
    return [record_from_row(r, suspensions.get(r["lineage"], ())) for r in rows]


async def current_version(lineage: int) -> dict[str, Any] | None:
    return (
        await Grant.select(*GRANT_COLUMNS)
        .where(Grant.lineage == lineage)
        .order_by(Grant.version, ascending=False)
        .first()
    )


async def chain_records(
    records: list[GrantRecord], parent_id: int | None
) -> tuple[GrantRecord, ...]:
    """From the first grant after the lawful holder down to `parent_id` (latest versions)."""
    latest: dict[int, GrantRecord] = {}
    for record in records:
        if record.id not in latest or record.version > latest[record.id].version:
            latest[record.id] = record
    chain: list[GrantRecord] = []
    seen: set[int] = set()
    current = parent_id
    while current is not None and current in latest and current not in seen:
        seen.add(current)
        chain.append(latest[current])
        current = latest[current].parent_id
    return tuple(reversed(chain))


async def instrument_facts(number: str) -> InstrumentFacts | None:
    row = (
        await Instrument.select(
            Instrument.number, Instrument.type, Instrument.normative, Instrument.signed_at
        )
        .where(Instrument.number == number)
        .first()
    )
    if row is None:
        return None
    return InstrumentFacts(row["number"], row["type"], row["normative"], row["signed_at"])


async def holders_of_position(code: str, at: datetime) -> list[dict[str, Any]]:
    return await Assignment.select(
        Assignment.official.code.as_alias("official_code"),
        Assignment.official.full_name.as_alias("full_name"),
        Assignment.valid_from,
        Assignment.valid_to,
    ).where(
        (Assignment.position.code == code)
        & (Assignment.valid_from <= at)
        & (Assignment.valid_to.is_null() | (Assignment.valid_to > at))
    )


async def positions_of_official(code: str, at: datetime) -> list[dict[str, Any]]:
    return await Assignment.select(
        Assignment.position.code.as_alias("position_code"),
        Assignment.position.is_head.as_alias("is_head"),
        Assignment.position.is_deputy.as_alias("is_deputy"),
        Assignment.position._.unit._.code.as_alias("unit_code"),
        Assignment.valid_from,
        Assignment.valid_to,
    ).where(
        (Assignment.official.code == code)
        & (Assignment.valid_from <= at)
        & (Assignment.valid_to.is_null() | (Assignment.valid_to > at))
    )


async def identities(party: Party, at: datetime) -> frozenset[Party]:
    """The party and whoever acts as it at `at`: a position's holders, an official's posts."""
    found = {party}
    if party.kind is PartyKind.POSITION:
        found |= {
            Party(PartyKind.OFFICIAL, r["official_code"])
            for r in await holders_of_position(party.code, at)
        }
    elif party.kind is PartyKind.OFFICIAL:
        found |= {
            Party(PartyKind.POSITION, r["position_code"])
            for r in await positions_of_official(party.code, at)
        }
    return frozenset(found)


async def active_intervals(party: Party) -> tuple[Validity, ...] | None:
    """When the party exists and is active; None when it is unknown."""
    if party.kind is PartyKind.UNIT:
        row = (
            await Unit.select(Unit.valid_from, Unit.valid_to).where(Unit.code == party.code).first()
        )
        return None if row is None else (Validity(row["valid_from"], row["valid_to"]),)
    if party.kind is PartyKind.POSITION:
        row = (
            await Position.select(
                Position.valid_from,
                Position.valid_to,
                Position.unit.valid_from.as_alias("unit_from"),
                Position.unit.valid_to.as_alias("unit_to"),
            )
            .where(Position.code == party.code)
            .first()
        )
        if row is None:
            return None
        return intersect(
            (Validity(row["valid_from"], row["valid_to"]),),
            (Validity(row["unit_from"], row["unit_to"]),),
        )
    row = await Official.select(Official.created_at).where(Official.code == party.code).first()
    if row is None:
        return None
    return (Validity(datetime(1900, 1, 1, tzinfo=row["created_at"].tzinfo), None),)

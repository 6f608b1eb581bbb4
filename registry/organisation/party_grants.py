"""Grants touching some parties (units, positions), their rows as of an instant, and the
orphaned ones among them: what unit, position and official pages show, and what a merger or a
transfer previews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.domain.effective import in_force_map, status_at
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.validity import Validity
from registry.grants.repository import grant_records
from registry.grants.tables import Grant
from registry.organisation.orphans import (
    OrgFacts,
    OrphanedGrant,
    PositionLife,
    UnitLife,
    orphaned_grants,
)
from registry.organisation.queries import POSITION_COLUMNS, UNIT_COLUMNS, GrantRow
from registry.organisation.tables import Assignment, Position, Unit


async def _lineages_with_ancestors(parties: Iterable[str] | None, power: str | None) -> set[int]:
    links = await Grant.select(
        Grant.lineage,
        Grant.parent_lineage,
        Grant.grantor,
        Grant.grantee,
        Grant.power.code.as_alias("power_code"),
    )
    wanted = set(parties) if parties is not None else None
    parent = {r["lineage"]: r["parent_lineage"] for r in links}
    chosen = {
        r["lineage"]
        for r in links
        if (wanted is None or r["grantor"] in wanted or r["grantee"] in wanted)
        and (power is None or r["power_code"] == power)
    }
    closure = set(chosen)
    for lineage in chosen:
        current = parent.get(lineage)
        while current is not None and current not in closure:
            closure.add(current)
            current = parent.get(current)
    return closure


@dataclass(frozen=True, slots=True)
class GrantView:
    """Grants touching some parties, with what the rules say about them at one instant."""

    records: list[GrantRecord]
    in_force: dict[int, tuple[Validity, ...]]

    def rows(self, at: datetime, parties: set[str] | None = None) -> list[GrantRow]:
        latest: dict[int, GrantRecord] = {}
        for record in self.records:
            current = latest.get(record.id)
            # The version in force at `at` if there is one, else the newest.
            if (
                current is None
                or (record.in_force_from <= at and record.version > current.version)
                or current.in_force_from > at
            ):
                latest[record.id] = record
        result = []
        for record in latest.values():
            if parties is not None and not ({str(record.grantor), str(record.grantee)} & parties):
                continue
            status = status_at(record, self.in_force.get(record.id, ()), at)
            result.append(
                GrantRow(
                    record.id,
                    record.power,
                    str(record.kind),
                    record.grantor,
                    record.grantee,
                    record.validity.valid_from,
                    record.validity.valid_to,
                    status,
                )
            )
        return sorted(result, key=lambda g: g.id)


async def grant_view(parties: Iterable[str] | None = None, power: str | None = None) -> GrantView:
    lineages = await _lineages_with_ancestors(parties, power)
    records = await grant_records(lineages=lineages) if lineages else []
    return GrantView(records, in_force_map(records))


async def org_facts(parties: Iterable[Party]) -> OrgFacts:
    """Units and positions (with their holders) named by the parties, and their units."""
    position_codes = {p.code for p in parties if p.kind is PartyKind.POSITION}
    unit_codes = {p.code for p in parties if p.kind is PartyKind.UNIT}
    positions: dict[str, PositionLife] = {}
    if position_codes:
        holders: dict[str, list[tuple[str, Validity]]] = defaultdict(list)
        for a in await Assignment.select(
            Assignment.position.code.as_alias("position_code"),
            Assignment.official.code.as_alias("official_code"),
            Assignment.valid_from,
            Assignment.valid_to,
        ).where(Assignment.position.code.is_in(sorted(position_codes))):
            holders[a["position_code"]].append(
                (a["official_code"], Validity(a["valid_from"], a["valid_to"]))
            )
        for r in await Position.select(*POSITION_COLUMNS).where(
            Position.code.is_in(sorted(position_codes))
        ):
            positions[r["code"]] = PositionLife(
                r["unit_code"], r["valid_from"], r["valid_to"], tuple(holders[r["code"]])
            )
            unit_codes.add(r["unit_code"])
    units: dict[str, UnitLife] = {}
    if unit_codes:
        for r in await Unit.select(*UNIT_COLUMNS).where(Unit.code.is_in(sorted(unit_codes))):
            units[r["code"]] = UnitLife(r["valid_from"], r["valid_to"], r["merged_into_code"])
    return OrgFacts(units, positions)


async def unit_parties(code: str) -> set[str]:
    """The unit and its positions as party strings."""
    positions = await Position.select(Position.code).where(Position.unit.code == code)
    return {f"unit:{code}", *(f"position:{p['code']}" for p in positions)}


async def orphans_among(parties: set[str], at: datetime, change: Any = None) -> list[OrphanedGrant]:
    """Orphaned grants touching `parties` at `at`; `change` turns the facts into a proposal."""
    view = await grant_view(parties)
    touched = [r for r in view.records if {str(r.grantor), str(r.grantee)} & parties]
    facts = await org_facts({p for r in touched for p in (r.grantor, r.grantee)})
    if change is not None:
        facts = change(facts)
    return [o for o in orphaned_grants(touched, view.in_force, facts, at) if o.party in parties]

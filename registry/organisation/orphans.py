"""The pure rule for orphaned grants: a grant whose grantor or grantee can no longer act (a unit
ended or merged, a position ended or vacant). No I/O: `party_grants.org_facts` reads the facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.validity import Validity


class OrphanCause(StrEnum):
    """Why a party of a grant can no longer act: the same notion coverage uses."""

    UNIT_ENDED = "unit_ended"
    UNIT_MERGED = "unit_merged"
    POSITION_ENDED = "position_ended"
    POSITION_VACANT = "position_vacant"


@dataclass(frozen=True, slots=True)
class UnitLife:
    valid_from: datetime
    valid_to: datetime | None = None
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class PositionLife:
    unit: str
    valid_from: datetime
    valid_to: datetime | None = None
    #: (official code, assignment validity) of every holder, past and future.
    holders: tuple[tuple[str, Validity], ...] = ()


@dataclass(frozen=True, slots=True)
class OrgFacts:
    """What the orphan rule needs to know about units and positions, by code."""

    units: Mapping[str, UnitLife]
    positions: Mapping[str, PositionLife]

    def with_unit_ended(self, code: str, at: datetime, merged_into: str | None) -> OrgFacts:
        units = dict(self.units)
        if code in units:
            units[code] = replace(units[code], valid_to=at, merged_into=merged_into)
        return OrgFacts(units, self.positions)

    def with_assignment_ended(self, position: str, official: str, at: datetime) -> OrgFacts:
        positions = dict(self.positions)
        life = positions.get(position)
        if life is not None:
            holders = tuple(
                (who, Validity(v.valid_from, at))
                if who == official and v.valid_from < at and (v.valid_to is None or v.valid_to > at)
                else (who, v)
                for who, v in life.holders
            )
            positions[position] = replace(life, holders=holders)
        return OrgFacts(self.units, positions)


@dataclass(frozen=True, slots=True)
class OrphanedGrant:
    grant_id: int
    power: str
    grantor: str
    grantee: str
    #: "grantor" or "grantee": the side that lost its holder.
    side: str
    party: str
    cause: OrphanCause


def _ended(valid_to: datetime | None, at: datetime) -> bool:
    return valid_to is not None and valid_to <= at


def party_cause(party: Party, facts: OrgFacts, at: datetime) -> OrphanCause | None:
    """Why a unit or position party cannot act at `at`; officials are people and never orphan."""
    if party.kind is PartyKind.UNIT:
        unit = facts.units.get(party.code)
        if unit is None or not _ended(unit.valid_to, at):
            return None
        return OrphanCause.UNIT_MERGED if unit.merged_into else OrphanCause.UNIT_ENDED
    if party.kind is PartyKind.POSITION:
        position = facts.positions.get(party.code)
        if position is None:
            return None
        unit = facts.units.get(position.unit)
        if _ended(position.valid_to, at) or (unit is not None and _ended(unit.valid_to, at)):
            return OrphanCause.POSITION_ENDED
        if not any(v.contains_instant(at) for _who, v in position.holders):
            return OrphanCause.POSITION_VACANT
    return None


def orphaned_grants(
    records: Iterable[GrantRecord],
    in_force: Mapping[int, Sequence[Validity]],
    facts: OrgFacts,
    at: datetime,
) -> list[OrphanedGrant]:
    """Grants in force at or after `at` whose grantor or grantee is vacant or ended at `at`."""
    latest: dict[int, GrantRecord] = {}
    for record in records:
        if record.id not in latest or record.version > latest[record.id].version:
            latest[record.id] = record
    found: list[OrphanedGrant] = []
    for grant_id in sorted(latest):
        record = latest[grant_id]
        intervals = in_force.get(grant_id, ())
        if not any(v.valid_to is None or v.valid_to > at for v in intervals):
            continue
        for side, party in (("grantor", record.grantor), ("grantee", record.grantee)):
            cause = party_cause(party, facts, at)
            if cause is not None:
                found.append(
                    OrphanedGrant(
                        grant_id,
                        record.power,
                        str(record.grantor),
                        str(record.grantee),
                        side,
                        str(party),
                        cause,
                    )
                )
    return found

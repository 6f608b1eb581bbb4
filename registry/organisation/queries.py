"""Read models of the organisation as of an instant, and the pure rule for orphaned grants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from registry.domain.effective import GrantStatus, in_force_map, status_at
from registry.domain.grants import GrantRecord
from registry.domain.parties import Party, PartyKind
from registry.domain.reasons import Reason, ReasonCode
from registry.domain.validity import Validity
from registry.errors import InvalidInput, NotFound
from registry.grants.repository import grant_records
from registry.grants.tables import Grant
from registry.importing.fields import parse_instant
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit

# ---------------------------------------------------------------- orphaned grants (pure)


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


# ---------------------------------------------------------------- rows shown on pages


def parse_at(text: str | None, zone: ZoneInfo, now: datetime | None = None) -> datetime:
    """`?at=YYYY-MM-DD` (local midnight) or an ISO instant; empty means now."""
    if not text:
        return now or datetime.now(UTC)
    parsed = parse_instant(text, zone)
    if parsed is None:
        raise InvalidInput([Reason.of(ReasonCode.INVALID_DATE, "at")])
    return parsed


def _in_force(valid_from: datetime, valid_to: datetime | None, at: datetime) -> bool:
    return valid_from <= at and (valid_to is None or valid_to > at)


def _localised(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" and en else vi


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name_vi: str
    name_en: str
    kind: str
    tier: str
    parent_code: str | None
    works_collectively: bool
    valid_from: datetime
    valid_to: datetime | None
    merged_into: str | None

    def name(self, lang: str) -> str:
        return _localised(self.name_vi, self.name_en, lang)

    def exists_at(self, at: datetime) -> bool:
        return _in_force(self.valid_from, self.valid_to, at)


@dataclass(frozen=True, slots=True)
class TreeNode:
    unit: UnitRow
    children: tuple[TreeNode, ...]


@dataclass(frozen=True, slots=True)
class HolderRow:
    official_code: str
    display_name: str
    position_code: str
    title_vi: str
    title_en: str
    unit_code: str
    valid_from: datetime
    valid_to: datetime | None
    instrument: str | None

    def title(self, lang: str) -> str:
        return _localised(self.title_vi, self.title_en, lang)

    def in_force(self, at: datetime) -> bool:
        return _in_force(self.valid_from, self.valid_to, at)


@dataclass(frozen=True, slots=True)
class PositionRow:
    code: str
    unit_code: str
    title_vi: str
    title_en: str
    is_head: bool
    is_deputy: bool
    valid_from: datetime
    valid_to: datetime | None
    holders: tuple[HolderRow, ...] = ()

    def title(self, lang: str) -> str:
        return _localised(self.title_vi, self.title_en, lang)

    def exists_at(self, at: datetime) -> bool:
        return _in_force(self.valid_from, self.valid_to, at)


@dataclass(frozen=True, slots=True)
class GrantRow:
    id: int
    power: str
    kind: str
    grantor: Party
    grantee: Party
    valid_from: datetime
    valid_to: datetime | None
    status: GrantStatus


_UNIT_COLUMNS = (
    Unit.code,
    Unit.name_vi,
    Unit.name_en,
    Unit.kind,
    Unit.tier,
    Unit.parent.code.as_alias("parent_code"),
    Unit.works_collectively,
    Unit.valid_from,
    Unit.valid_to,
    Unit.merged_into.code.as_alias("merged_into_code"),
)


def unit_row(r: Mapping[str, Any]) -> UnitRow:
    return UnitRow(
        r["code"],
        r["name_vi"],
        r["name_en"],
        r["kind"],
        r["tier"],
        r["parent_code"],
        r["works_collectively"],
        r["valid_from"],
        r["valid_to"],
        r["merged_into_code"],
    )


async def all_units() -> list[UnitRow]:
    return [unit_row(r) for r in await Unit.select(*_UNIT_COLUMNS).order_by(Unit.code)]


async def find_unit(code: str) -> UnitRow:
    row = await Unit.select(*_UNIT_COLUMNS).where(Unit.code == code).first()
    if row is None:
        raise NotFound(f"unit {code}")
    return unit_row(row)


def build_tree(units: Sequence[UnitRow], at: datetime) -> list[TreeNode]:
    """The units in existence at `at`. A unit whose parent had been merged hangs under the unit
    it was merged into; one whose parent did not exist is shown as a root."""
    alive = {u.code: u for u in units if u.exists_at(at)}
    by_code = {u.code: u for u in units}
    children: dict[str | None, list[UnitRow]] = defaultdict(list)
    for unit in alive.values():
        parent = unit.parent_code
        seen: set[str] = set()
        while parent is not None and parent not in alive and parent not in seen:
            seen.add(parent)
            parent = by_code[parent].merged_into if parent in by_code else None
        children[parent if parent in alive else None].append(unit)

    def node(unit: UnitRow, seen: frozenset[str]) -> TreeNode:
        kids = sorted(children.get(unit.code, []), key=lambda u: u.code)
        return TreeNode(unit, tuple(node(k, seen | {k.code}) for k in kids if k.code not in seen))

    return [node(u, frozenset({u.code})) for u in sorted(children[None], key=lambda u: u.code)]


_HOLDER_COLUMNS = (
    Assignment.official.code.as_alias("official_code"),
    Assignment.official.display_name.as_alias("display_name"),
    Assignment.position.code.as_alias("position_code"),
    Assignment.position.title_vi.as_alias("title_vi"),
    Assignment.position.title_en.as_alias("title_en"),
    Assignment.position._.unit._.code.as_alias("unit_code"),
    Assignment.valid_from,
    Assignment.valid_to,
    Assignment.instrument.number.as_alias("instrument_number"),
)


def _holder(r: Mapping[str, Any]) -> HolderRow:
    return HolderRow(
        r["official_code"],
        r["display_name"],
        r["position_code"],
        r["title_vi"],
        r["title_en"],
        r["unit_code"],
        r["valid_from"],
        r["valid_to"],
        r["instrument_number"],
    )


async def assignments_where(condition: Any) -> list[HolderRow]:
    rows = await Assignment.select(*_HOLDER_COLUMNS).where(condition)
    return sorted((_holder(r) for r in rows), key=lambda h: (h.valid_from, h.position_code))


_POSITION_COLUMNS = (
    Position.code,
    Position.unit.code.as_alias("unit_code"),
    Position.title_vi,
    Position.title_en,
    Position.is_head,
    Position.is_deputy,
    Position.valid_from,
    Position.valid_to,
)


def position_row(r: Mapping[str, Any], holders: Iterable[HolderRow] = ()) -> PositionRow:
    return PositionRow(
        r["code"],
        r["unit_code"],
        r["title_vi"],
        r["title_en"],
        r["is_head"],
        r["is_deputy"],
        r["valid_from"],
        r["valid_to"],
        tuple(holders),
    )


async def find_position(code: str) -> PositionRow:
    row = await Position.select(*_POSITION_COLUMNS).where(Position.code == code).first()
    if row is None:
        raise NotFound(f"position {code}")
    return position_row(row, await assignments_where(Assignment.position.code == code))


async def positions_of_unit(code: str) -> list[PositionRow]:
    rows = await Position.select(*_POSITION_COLUMNS).where(Position.unit.code == code)
    holders: dict[str, list[HolderRow]] = defaultdict(list)
    for holder in await assignments_where(Assignment.position._.unit._.code == code):
        holders[holder.position_code].append(holder)
    return sorted(
        (position_row(r, holders[r["code"]]) for r in rows),
        key=lambda p: (not p.is_head, not p.is_deputy, p.code),
    )


async def official_history(code: str) -> tuple[str, list[HolderRow]]:
    """The public display name of an official and every position held; private fields stay out."""
    row = await Official.select(Official.display_name).where(Official.code == code).first()
    if row is None:
        raise NotFound(f"official {code}")
    return row["display_name"], await assignments_where(Assignment.official.code == code)


# ---------------------------------------------------------------- grants touching parties


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
        for r in await Position.select(*_POSITION_COLUMNS).where(
            Position.code.is_in(sorted(position_codes))
        ):
            positions[r["code"]] = PositionLife(
                r["unit_code"], r["valid_from"], r["valid_to"], tuple(holders[r["code"]])
            )
            unit_codes.add(r["unit_code"])
    units: dict[str, UnitLife] = {}
    if unit_codes:
        for r in await Unit.select(*_UNIT_COLUMNS).where(Unit.code.is_in(sorted(unit_codes))):
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


# ---------------------------------------------------------------- instruments


@dataclass(frozen=True, slots=True)
class InstrumentRow:
    number: str
    type: str
    title_vi: str
    title_en: str
    signed_at: datetime
    effective_from: datetime | None
    file_sha256: str | None
    public: bool

    def title(self, lang: str) -> str:
        return _localised(self.title_vi, self.title_en, lang)


async def find_instrument(number: str, *, public_only: bool = True) -> InstrumentRow | None:
    query = Instrument.select(
        Instrument.number,
        Instrument.type,
        Instrument.title_vi,
        Instrument.title_en,
        Instrument.signed_at,
        Instrument.effective_from,
        Instrument.file_sha256,
        Instrument.public,
    ).where(Instrument.number == number)
    row = await query.first()
    if row is None or (public_only and not row["public"]):
        return None
    return InstrumentRow(**row)


# ---------------------------------------------------------------- keyset lists for the API


async def units_page(at: datetime, after: str, limit: int) -> list[UnitRow]:
    query = Unit.select(*_UNIT_COLUMNS).where(
        (Unit.code > after)
        & (Unit.valid_from <= at)
        & (Unit.valid_to.is_null() | (Unit.valid_to > at))
    )
    return [unit_row(r) for r in await query.order_by(Unit.code).limit(limit + 1)]


async def positions_page(at: datetime, after: str, limit: int) -> list[PositionRow]:
    query = Position.select(*_POSITION_COLUMNS).where(
        (Position.code > after)
        & (Position.valid_from <= at)
        & (Position.valid_to.is_null() | (Position.valid_to > at))
    )
    rows = await query.order_by(Position.code).limit(limit + 1)
    codes = [r["code"] for r in rows]
    holders: dict[str, list[HolderRow]] = defaultdict(list)
    if codes:
        for holder in await assignments_where(Assignment.position.code.is_in(codes)):
            if holder.in_force(at):
                holders[holder.position_code].append(holder)
    return [position_row(r, holders[r["code"]]) for r in rows]


async def officials_page(
    at: datetime, after: str, limit: int
) -> list[tuple[str, str, list[HolderRow]]]:
    """(code, display name, positions held at `at`): public fields only."""
    rows = (
        await Official.select(Official.code, Official.display_name)
        .where(Official.code > after)
        .order_by(Official.code)
        .limit(limit + 1)
    )
    codes = [r["code"] for r in rows]
    held: dict[str, list[HolderRow]] = defaultdict(list)
    if codes:
        for holder in await assignments_where(Assignment.official.code.is_in(codes)):
            if holder.in_force(at):
                held[holder.official_code].append(holder)
    return [(r["code"], r["display_name"], held[r["code"]]) for r in rows]

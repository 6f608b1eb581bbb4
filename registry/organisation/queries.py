"""Read models of the organisation as of an instant."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from registry.domain.effective import GrantStatus
from registry.domain.parties import Party
from registry.domain.reasons import Reason, ReasonCode
from registry.errors import InvalidInput, NotFound
from registry.importing.fields import parse_instant
from registry.organisation.tables import Assignment, Instrument, Official, Position, Unit

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


UNIT_COLUMNS = (
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
    return [unit_row(r) for r in await Unit.select(*UNIT_COLUMNS).order_by(Unit.code)]


async def find_unit(code: str) -> UnitRow:
    row = await Unit.select(*UNIT_COLUMNS).where(Unit.code == code).first()
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


POSITION_COLUMNS = (
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
    row = await Position.select(*POSITION_COLUMNS).where(Position.code == code).first()
    if row is None:
        raise NotFound(f"position {code}")
    return position_row(row, await assignments_where(Assignment.position.code == code))


async def positions_of_unit(code: str) -> list[PositionRow]:
    rows = await Position.select(*POSITION_COLUMNS).where(Position.unit.code == code)
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
    query = Unit.select(*UNIT_COLUMNS).where(
        (Unit.code > after)
        & (Unit.valid_from <= at)
        & (Unit.valid_to.is_null() | (Unit.valid_to > at))
    )
    return [unit_row(r) for r in await query.order_by(Unit.code).limit(limit + 1)]


async def positions_page(at: datetime, after: str, limit: int) -> list[PositionRow]:
    query = Position.select(*POSITION_COLUMNS).where(
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

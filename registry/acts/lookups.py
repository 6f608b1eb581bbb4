"""Codes an act names, resolved to rows: officials, positions, units, powers, assignments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from registry.acts.verdicts import SignerPost
from registry.organisation.tables import Assignment, Official, Position, Unit
from registry.powers.tables import Power


@dataclass(frozen=True, slots=True)
class PositionRow:
    id: int
    unit: str
    is_head: bool
    is_deputy: bool


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: int
    collective: bool


@dataclass(slots=True)
class Lookups:
    """Ids and facts by public code; loaded whole for an import, or for a few codes."""

    officials: dict[str, tuple[int, str]] = field(default_factory=dict)
    positions: dict[str, PositionRow] = field(default_factory=dict)
    units: dict[str, UnitRow] = field(default_factory=dict)
    powers: dict[str, int] = field(default_factory=dict)
    heads: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (official, position) -> assignment intervals
    held: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    signer_posts: dict[str, SignerPost] = field(default_factory=dict)

    @classmethod
    async def load(
        cls,
        officials: Iterable[str] | None = None,
        positions: Iterable[str] | None = None,
        units: Iterable[str] | None = None,
        powers: Iterable[str] | None = None,
    ) -> Lookups:
        """Everything (no arguments), or the named codes and what their trace needs."""
        found = cls()
        whole = officials is None
        official_query = Official.select(
            Official._meta.primary_key, Official.code, Official.display_name
        )
        unit_query = Unit.select(Unit._meta.primary_key, Unit.code, Unit.works_collectively)
        power_query = Power.select(Power._meta.primary_key, Power.code)
        position_query = Position.select(
            Position._meta.primary_key,
            Position.code,
            Position.unit.code.as_alias("unit_code"),
            Position.is_head,
            Position.is_deputy,
        )
        assignment_query = Assignment.select(
            Assignment.official.code.as_alias("official_code"),
            Assignment.position.code.as_alias("position_code"),
            Assignment.valid_from,
            Assignment.valid_to,
        )
        if not whole:
            wanted_officials = sorted(set(officials or ())) or [""]
            wanted_positions = sorted(set(positions or ())) or [""]
            official_query = official_query.where(Official.code.is_in(wanted_officials))
            unit_query = unit_query.where(Unit.code.is_in(sorted(set(units or ())) or [""]))
            power_query = power_query.where(Power.code.is_in(sorted(set(powers or ())) or [""]))
            position_query = position_query.where(Position.code.is_in(wanted_positions))
            assignment_query = assignment_query.where(
                Assignment.official.code.is_in(wanted_officials)
            )
        for r in await official_query:
            found.officials[r["code"]] = (r["id"], r["display_name"])
        for r in await unit_query:
            found.units[r["code"]] = UnitRow(r["id"], r["works_collectively"])
        for r in await power_query:
            found.powers[r["code"]] = r["id"]
        for r in await position_query:
            found.positions[r["code"]] = PositionRow(
                r["id"], r["unit_code"], r["is_head"], r["is_deputy"]
            )
        for r in await assignment_query:
            found.held[(r["official_code"], r["position_code"])].append(
                (r["valid_from"], r["valid_to"])
            )
        signer_units = sorted({p.unit for p in found.positions.values()})
        heads = Position.select(Position.code, Position.unit.code.as_alias("unit_code")).where(
            Position.is_head == True  # noqa: E712
        )
        if not whole:
            heads = heads.where(Position.unit.code.is_in(signer_units or [""]))
            rows = await Unit.select(
                Unit._meta.primary_key, Unit.code, Unit.works_collectively
            ).where(Unit.code.is_in(signer_units or [""]))
            for r in rows:
                found.units.setdefault(r["code"], UnitRow(r["id"], r["works_collectively"]))
        for r in await heads:
            found.heads[r["unit_code"]].add(r["code"])
        return found

    def holds(self, official: str, position: str, at: datetime) -> bool:
        return any(
            start <= at and (end is None or end > at)
            for start, end in self.held.get((official, position), ())
        )

    def post(self, position: str) -> SignerPost:
        """The position as the form table reads it (made once per position)."""
        post = self.signer_posts.get(position)
        if post is None:
            post = self.signer_posts[position] = self._post(position)
        return post

    def _post(self, position: str) -> SignerPost:
        row = self.positions[position]
        unit = self.units.get(row.unit)
        return SignerPost(
            position=position,
            unit=row.unit,
            is_head=row.is_head,
            is_deputy=row.is_deputy,
            unit_collective=bool(unit and unit.collective),
            unit_heads=frozenset(self.heads.get(row.unit, ())),
        )

"""Public accountability indicators of a unit: how many of its traced acts were within
authority, its delegations in force, open-ended authorizations, grants expiring soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.acts.drift import WITHIN, Count
from registry.acts.tables import Act
from registry.coverage.analysis import GrantInfo, expiring, open_authorizations
from registry.coverage.services import grant_infos, holdings_at
from registry.db import is_postgres
from registry.errors import NotFound
from registry.grants import repository
from registry.organisation.tables import Position, Unit


@dataclass(frozen=True, slots=True)
class Indicators:
    unit: str
    unit_name: str
    traced: int
    within: int
    by_month: list[Count]
    delegations: list[GrantInfo]
    open_authorizations: list[GrantInfo]
    expiring: list[GrantInfo]

    @property
    def share_within(self) -> int | None:
        return None if not self.traced else (100 * self.within) // self.traced


async def unit_indicators(code: str, at: datetime) -> Indicators:
    unit = await Unit.select(Unit.code, Unit.name_vi).where(Unit.code == code).first()
    if unit is None:
        raise NotFound(f"unit {code}")
    tree = await repository.unit_tree()
    subtree = sorted(tree.descendants_or_self(code))
    month = (
        "to_char(a.signed_at AT TIME ZONE 'UTC' + interval '7 hours', 'YYYY-MM')"
        if is_postgres()
        else "strftime('%Y-%m', a.signed_at, '+7 hours')"
    )
    marks = ", ".join("{}" for _ in subtree)
    rows = await Act.raw(
        f"SELECT {month} AS key, COUNT(*) AS total, "
        f"SUM(CASE WHEN a.verdict = '{WITHIN}' THEN 0 ELSE 1 END) AS outside "
        f"FROM act a JOIN unit u ON u.id = a.unit WHERE u.code IN ({marks}) "
        f"GROUP BY {month} ORDER BY key",
        *subtree,
    )
    by_month = [Count(str(r["key"]), int(r["total"]), int(r["outside"] or 0)) for r in rows]
    traced = sum(c.total for c in by_month)
    positions = {
        f"position:{r['code']}"
        for r in await Position.select(Position.code).where(Position.unit.code == code)
    }
    own = positions | {f"unit:{code}"}
    holdings = await holdings_at(at)
    grants = await grant_infos(holdings)
    mine = sorted(
        (g for g in grants.values() if g.grantor in own or g.grantee in own), key=lambda g: g.id
    )
    return Indicators(
        unit=code,
        unit_name=unit["name_vi"],
        traced=traced,
        within=traced - sum(c.outside for c in by_month),
        by_month=by_month[-12:],
        delegations=mine,
        open_authorizations=open_authorizations(mine),
        expiring=expiring(mine, at),
    )

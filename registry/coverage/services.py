"""Coverage at a chosen instant, from the authority engine's rows in memory and who is in post."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.authz.engine import AuthorityEngine, authority_engine
from registry.coverage.analysis import (
    DEFAULT_CONCENTRATION,
    CoverageReport,
    GrantInfo,
    Holding,
    PowerInfo,
    ReadRow,
    expiring,
    find_concentration,
    find_orphans,
    find_overlaps,
    in_force,
    matrix,
    open_authorizations,
    read_rows,
)
from registry.coverage.staffing import Post, Span, Staffing, staffing_at
from registry.domain.units import UnitTree
from registry.domain.validity import utc_string
from registry.grants import repository
from registry.grants.tables import Grant
from registry.organisation.tables import Assignment, Position
from registry.powers.tables import Power

#: Everything below is read once per policy version (which every write moves: grants, powers,
#: assignments, the unit tree) and kept in the authority engine's per-version cache.
_KEY = "coverage"


async def _per_version(name: str, load: Callable[[], Awaitable[Any]]) -> Any:
    engine = authority_engine()
    await engine.refresh()
    return await engine.cached((_KEY, name), load)


async def _posts() -> tuple[list[Post], list[tuple[str, Span]], list[str]]:
    from registry.organisation.tables import Official

    held = await Assignment.select(
        Assignment.official.code.as_alias("official"),
        Assignment.position.code.as_alias("position"),
        Assignment.position.is_head.as_alias("is_head"),
        Assignment.position._.unit._.code.as_alias("unit"),
        Assignment.valid_from,
        Assignment.valid_to,
    )
    positions = await Position.select(Position.code, Position.valid_from, Position.valid_to)
    # An official counts only as the holder of a grant naming them, and that grant moved the
    # version after they were recorded: the list kept with this version is never short.
    officials = [r["code"] for r in await Official.select(Official.code)]
    return (
        [
            Post(
                r["official"],
                r["position"],
                bool(r["is_head"]),
                r["unit"],
                Span(r["valid_from"], r["valid_to"]),
            )
            for r in held
        ],
        [(r["code"], Span(r["valid_from"], r["valid_to"])) for r in positions],
        officials,
    )


async def staffing(at: datetime) -> Staffing:
    posts, positions, officials = await _per_version("posts", _posts)
    return staffing_at(posts, positions, officials, at)


async def _power_infos() -> dict[str, PowerInfo]:
    rows = await Power.select(
        Power.code,
        Power.title_vi,
        Power.exclusive,
        Power.holder_unit.code.as_alias("holder_unit_code"),
    )
    return {
        r["code"]: PowerInfo(r["code"], r["title_vi"], r["holder_unit_code"], r["exclusive"])
        for r in rows
    }


async def power_infos() -> dict[str, PowerInfo]:
    infos: dict[str, PowerInfo] = await _per_version("powers", _power_infos)
    return infos


async def _latest_grants() -> dict[int, GrantInfo]:
    """The latest version of every grant."""
    rows = await Grant.raw(
        "SELECT g.lineage, g.version, g.kind, g.grantor, g.grantee, g.parent_lineage, g.valid_to, "
        "p.code AS power_code FROM grant_version g JOIN power p ON p.id = g.power"
    )
    latest: dict[int, dict[str, Any]] = {}
    for r in rows:
        if r["lineage"] not in latest or r["version"] > latest[r["lineage"]]["version"]:
            latest[r["lineage"]] = r
    return {
        lineage: GrantInfo(
            lineage,
            str(r["power_code"]),
            str(r["kind"]),
            str(r["grantor"]),
            str(r["grantee"]),
            r["parent_lineage"],
            _aware(r["valid_to"]),
        )
        for lineage, r in latest.items()
    }


async def grant_infos(lineages: set[int]) -> dict[int, GrantInfo]:
    """The latest version of each grant named by a row in force."""
    if not lineages:
        return {}
    latest: dict[int, GrantInfo] = await _per_version("grants", _latest_grants)
    return {lineage: latest[lineage] for lineage in lineages if lineage in latest}


async def unit_tree() -> UnitTree:
    tree: UnitTree = await _per_version("tree", repository.unit_tree)
    return tree


def _aware(value: object) -> datetime | None:
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def columns_for(tree: UnitTree, unit: str | None) -> list[str]:
    """The chosen unit and its children; by default the unit with the most children."""
    units = sorted(tree.units)
    if not units:
        return []
    if not unit or unit not in tree:
        children: dict[str, int] = defaultdict(int)
        for code in units:
            parent = tree.parent(code)
            if parent is not None:
                children[parent] += 1
        unit = max(units, key=lambda code: (children.get(code, 0), code))
    kids = sorted(code for code in units if tree.parent(code) == unit)
    return [unit, *kids]


async def holdings_at(at: datetime, engine: AuthorityEngine | None = None) -> list[Holding]:
    """The policy rows in force at `at`, kept per policy version and instant."""
    engine = engine or authority_engine()
    await engine.refresh()
    stamp = utc_string(at)

    async def read() -> list[ReadRow]:
        return [row for rows in engine.rows_by_power.values() for row in read_rows(rows)]

    async def load() -> list[Holding]:
        return in_force(await engine.cached((_KEY, "rows"), read), stamp)

    holdings: list[Holding] = await engine.cached((_KEY, "holdings", stamp), load)
    return holdings


async def coverage(
    at: datetime, unit: str | None = None, threshold: int = DEFAULT_CONCENTRATION
) -> CoverageReport:
    """The matrix and every finding at `at`."""
    tree = await unit_tree()
    holdings = await holdings_at(at)
    powers = await power_infos()
    people = await staffing(at)
    grants = await grant_infos({h.grant for h in holdings if h.grant is not None})
    columns = columns_for(tree, unit)
    report = CoverageReport(at=at, columns=columns, threshold=threshold)
    report.rows, report.gaps = matrix(holdings, powers, columns, tree, people.staffed)
    report.overlaps = find_overlaps(holdings, powers, grants, tree)
    report.orphans = find_orphans(grants.values(), people.vacant)
    report.concentration = find_concentration(holdings, people.identities, threshold)
    report.open_authorizations = open_authorizations(grants.values())
    report.expiring = expiring(grants.values(), at)
    return report


@dataclass(frozen=True, slots=True)
class CellHolder:
    """One holder behind a matrix cell, with the grant (if any) it holds through."""

    holder: str
    source: str
    grant: GrantInfo | None
    in_post: bool


async def cell(at: datetime, power: str, unit: str) -> list[CellHolder]:
    """Drill-down: every row in force that covers `unit` for `power`."""
    tree = await unit_tree()
    holdings = [
        h
        for h in await holdings_at(at)
        if h.power == power and any(tree.is_within(unit, root) for root in h.scope.territory)
    ]
    people = await staffing(at)
    grants = await grant_infos({h.grant for h in holdings if h.grant is not None})
    return [
        CellHolder(
            h.holder, h.source, grants.get(h.grant) if h.grant else None, h.holder in people.staffed
        )
        for h in sorted(holdings, key=lambda h: (h.holder, h.source))
    ]

"""Coverage at a chosen instant, from the authority engine's rows in memory and who is in post."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
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
from registry.domain.scope import Scope
from registry.domain.units import UnitTree
from registry.domain.validity import utc_string
from registry.grants import repository
from registry.grants.tables import Grant
from registry.heap import collection_paused
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


async def _latest_grants(powers: list[str] | None) -> dict[str, dict[int, GrantInfo]]:
    """The latest version of every grant of the given powers (None: of every power), by power."""
    sql = (
        "SELECT g.lineage, g.version, g.kind, g.grantor, g.grantee, g.parent_lineage, g.valid_to, "
        "p.code AS power_code FROM grant_version g JOIN power p ON p.id = g.power"
    )
    rows: list[dict[str, Any]] = []
    if powers is None:
        rows = await Grant.raw(sql)
    for start in range(0, len(powers or ()), 500):
        chunk = (powers or [])[start : start + 500]
        marks = ", ".join("{}" for _ in chunk)
        rows += await Grant.raw(f"{sql} WHERE p.code IN ({marks})", *chunk)
    latest: dict[int, dict[str, Any]] = {}
    for r in rows:
        if r["lineage"] not in latest or r["version"] > latest[r["lineage"]]["version"]:
            latest[r["lineage"]] = r
    by_power: dict[str, dict[int, GrantInfo]] = defaultdict(dict)
    ends: dict[object, datetime | None] = {}  # a thousand distinct ends among 100,000 grants
    with collection_paused():
        for lineage, r in latest.items():
            end = r["valid_to"]
            if end not in ends:
                ends[end] = _aware(end)
            by_power[str(r["power_code"])][lineage] = GrantInfo(
                lineage,
                str(r["power_code"]),
                str(r["kind"]),
                str(r["grantor"]),
                str(r["grantee"]),
                r["parent_lineage"],
                ends[end],
            )
    return by_power


async def grant_infos(holdings: Iterable[Holding]) -> dict[int, GrantInfo]:
    """The latest version of each grant named by a row in force. Kept per power until that
    power's rows move, so after a write only the grants of the powers it touched are read."""
    wanted = [(h.power, h.grant) for h in holdings if h.grant is not None]
    if not wanted:
        return {}
    engine = authority_engine()
    await engine.refresh()
    by_power: dict[str, dict[int, GrantInfo]] = await engine.cached_per_power(
        (_KEY, "grants"), {power for power, _grant in wanted}, _latest_grants, dict
    )
    found: dict[int, GrantInfo] = {}
    for power, lineage in wanted:
        info = by_power[power].get(lineage)
        if info is not None:
            found[lineage] = info
    return found


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


async def _no_scopes_yet() -> dict[tuple[str, str, str, str], Scope]:
    return {}


async def holdings_at(at: datetime, engine: AuthorityEngine | None = None) -> list[Holding]:
    """The policy rows in force at `at`, kept per policy version and instant; each power's rows
    are parsed once and kept until that power's rows move."""
    engine = engine or authority_engine()
    await engine.refresh()
    stamp = utc_string(at)

    async def parse(powers: list[str] | None) -> dict[str, list[ReadRow]]:
        codes = list(engine.rows_by_power) if powers is None else powers
        scopes = await engine.cached((_KEY, "scopes"), _no_scopes_yet)
        with collection_paused():
            return {code: read_rows(engine.rows_by_power.get(code, ()), scopes) for code in codes}

    async def load() -> list[Holding]:
        by_power = await engine.cached_per_power(
            (_KEY, "rows"), list(engine.rows_by_power), parse, list
        )
        return [h for rows in by_power.values() for h in in_force(rows, stamp)]

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
    grants = await grant_infos(holdings)
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
    grants = await grant_infos(holdings)
    return [
        CellHolder(
            h.holder, h.source, grants.get(h.grant) if h.grant else None, h.holder in people.staffed
        )
        for h in sorted(holdings, key=lambda h: (h.holder, h.source))
    ]

"""Read side of grants: lists with filters as of a time, one grant with chain and history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from registry.authz.check import ChainLink, build_chain
from registry.domain.effective import GrantStatus, in_force_map, status_at
from registry.domain.grants import GrantRecord
from registry.domain.validity import utc_string
from registry.errors import NotFound
from registry.grants import repository
from registry.grants.tables import Grant, GrantEvent


@dataclass(frozen=True, slots=True)
class GrantView:
    """A grant version with its status at the time asked about, ready for a page or the API."""

    lineage: int
    version: int
    kind: str
    power: str
    grantor: str
    grantee: str
    parent: int | None
    depth: int
    territory: tuple[str, ...]
    sectors: tuple[str, ...] | None
    act_types: tuple[str, ...] | None
    amount_ceiling: int | None
    valid_from: datetime
    valid_to: datetime | None
    may_pass_on: bool
    responsible: str
    instrument: str | None
    status: str
    recorded_by: str
    recorded_for: str
    ledger_index: int | None
    conditions_vi: str
    conditions_en: str


@dataclass(frozen=True, slots=True)
class GrantEventView:
    event: str
    at: datetime
    actor: str
    reason: str
    instrument: str | None
    ledger_index: int | None


@dataclass(frozen=True, slots=True)
class GrantDetailView:
    grant: GrantView
    chain: list[ChainLink]
    history: list[GrantEventView]
    versions: list[GrantView]
    sub_grants: list[int]


def _view(row: dict[str, Any], status: str) -> GrantView:
    return GrantView(
        lineage=row["lineage"],
        version=row["version"],
        kind=row["kind"],
        power=row["power_code"],
        grantor=row["grantor"],
        grantee=row["grantee"],
        parent=row["parent_lineage"],
        depth=row["depth"],
        territory=tuple(row["territory"].split()),
        sectors=tuple(row["sectors"].split()) or None,
        act_types=tuple(row["act_types"].split()) or None,
        amount_ceiling=row["amount_ceiling"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        may_pass_on=row["may_pass_on"],
        responsible=row["responsible"],
        instrument=row.get("instrument_number"),
        status=status,
        recorded_by=row["recorded_by"],
        recorded_for=row["recorded_for"],
        ledger_index=row["ledger_index"],
        conditions_vi=row["conditions_vi"],
        conditions_en=row["conditions_en"],
    )


async def statuses(powers: set[str], at: datetime) -> dict[tuple[int, int], GrantStatus]:
    """Status of every version of the grants of these powers at `at`."""
    found: dict[tuple[int, int], GrantStatus] = {}
    for power in powers:
        records = await repository.grant_records(power=power)
        intervals = in_force_map(records)
        for record in records:
            found[(record.id, record.version)] = status_at(record, intervals.get(record.id, ()), at)
    return found


_COLUMNS = (*repository.GRANT_COLUMNS, Grant.instrument.number.as_alias("instrument_number"))


async def list_grants(
    *,
    power: str | None = None,
    grantor: str | None = None,
    grantee: str | None = None,
    unit: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    at: datetime | None = None,
    after: int = 0,
    limit: int = 50,
) -> tuple[list[GrantView], int | None]:
    """Current versions (as of `at`), newest grant numbers first when paging by `after`."""
    at = at or datetime.now(UTC)
    query = Grant.select(*_COLUMNS).where(Grant.lineage > after)
    if power:
        query = query.where(Grant.power.code == power)
    if grantor:
        query = query.where(Grant.grantor == grantor)
    if grantee:
        query = query.where(Grant.grantee == grantee)
    if kind:
        query = query.where(Grant.kind == kind)
    if unit:
        query = query.where(
            Grant.territory.like(f"%{unit}%")
            | Grant.grantor.like(f"%:{unit}%")
            | Grant.grantee.like(f"%:{unit}%")
        )
    rows = await query.order_by(Grant.lineage).order_by(Grant.version)
    by_lineage: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_lineage[row["lineage"]].append(row)
    known = await statuses({r["power_code"] for r in rows}, at)
    views: list[GrantView] = []
    for lineage, versions in sorted(by_lineage.items()):
        current = _version_at(versions, at)
        view = _view(current, known.get((lineage, current["version"]), GrantStatus.ACTIVE).value)
        if status and view.status != status:
            continue
        views.append(view)
        if len(views) > limit:
            break
    next_after = views[limit - 1].lineage if len(views) > limit else None
    return views[:limit], next_after


def _version_at(versions: list[dict[str, Any]], at: datetime) -> dict[str, Any]:
    chosen = versions[0]
    for row in versions:
        if (row["effective_from"] or row["valid_from"]) <= at or row["version"] == 1:
            chosen = row
    return chosen


async def grant_detail(lineage: int, at: datetime | None = None) -> GrantDetailView:
    at = at or datetime.now(UTC)
    rows = await Grant.select(*_COLUMNS).where(Grant.lineage == lineage).order_by(Grant.version)
    if not rows:
        raise NotFound("grant")
    power = rows[0]["power_code"]
    records = await repository.grant_records(power=power)
    intervals = in_force_map(records)
    status = {(r.id, r.version): status_at(r, intervals.get(r.id, ()), at).value for r in records}
    versions = [_view(r, status.get((lineage, r["version"]), "active")) for r in rows]
    current_row = _version_at(rows, at)
    current = _view(current_row, status.get((lineage, current_row["version"]), "active"))
    events = (
        await GrantEvent.select(
            GrantEvent.event,
            GrantEvent.at,
            GrantEvent.actor,
            GrantEvent.reason,
            GrantEvent.ledger_index,
            GrantEvent.instrument.number.as_alias("instrument_number"),
        )
        .where(GrantEvent.lineage == lineage)
        .order_by(GrantEvent.at)
        .order_by(GrantEvent.id)
    )
    history = [
        GrantEventView(
            e["event"], e["at"], e["actor"], e["reason"], e["instrument_number"], e["ledger_index"]
        )
        for e in events
    ]
    chain = await build_chain(power, f"grant:{lineage}", max(at, current.valid_from), records)
    children = sorted({r.id for r in records if r.parent_id == lineage})
    return GrantDetailView(current, chain, history, versions, children)


def record_status(record: GrantRecord, records: list[GrantRecord], at: datetime) -> str:
    intervals = in_force_map(records)
    return status_at(record, intervals.get(record.id, ()), at).value


def iso(value: datetime | None) -> str | None:
    return utc_string(value) if value else None

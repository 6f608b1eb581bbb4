"""The Casbin policy rows as a projection of powers and grants, kept in step in each write."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from registry.authz.engine import authority_engine
from registry.authz.tables import PolicyChange, PolicyRule, PolicyVersion
from registry.domain.effective import in_force_intervals, in_force_map
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.validity import OPEN_END, Validity, utc_string
from registry.grants import repository
from registry.powers.tables import Power

#: p, sub, power, territory, sectors, act_types, ceiling, vfrom, vto, source
PolicyRow = tuple[str, str, str, str, str, str, str, str, str]
ALL = "*"


def _words(values: frozenset[str] | None) -> str:
    return ALL if values is None else " ".join(sorted(values))


def _end(instant: datetime | None) -> str:
    return OPEN_END if instant is None else utc_string(instant)


def lawful_row(power: PowerFacts, validity: Validity) -> PolicyRow:
    return (
        str(power.lawful_holder),
        power.code,
        power.holder_unit,
        power.sector,
        _words(power.act_types or None),
        ALL if power.amount_ceiling is None else str(power.amount_ceiling),
        utc_string(validity.valid_from),
        _end(validity.valid_to),
        f"law:{power.code}",
    )


def grant_rows(records: Sequence[GrantRecord]) -> list[PolicyRow]:
    """One row per in-force interval of every version of every grant of one power."""
    lineage_intervals = in_force_map(records)
    rows: list[PolicyRow] = []
    for record in sorted(records, key=lambda r: (r.id, r.version)):
        parent = None if record.parent_id is None else lineage_intervals.get(record.parent_id, ())
        for interval in in_force_intervals(record, parent):
            scope = record.scope
            rows.append(
                (
                    str(record.grantee),
                    record.power,
                    " ".join(sorted(scope.territory)),
                    _words(scope.sectors),
                    _words(scope.act_types),
                    ALL if scope.amount_ceiling is None else str(scope.amount_ceiling),
                    utc_string(interval.valid_from),
                    _end(interval.valid_to),
                    f"grant:{record.id}",
                )
            )
    return rows


async def power_rows(code: str) -> list[PolicyRow]:
    """Every row of one power, computed from the state tables."""
    row = await Power.select(Power.valid_from, Power.valid_to).where(Power.code == code).first()
    facts = await repository.power_facts(code)
    if row is None or facts is None:
        return []
    rows = [lawful_row(facts, Validity(row["valid_from"], row["valid_to"]))]
    return rows + grant_rows(await repository.grant_records(power=code))


async def stored_rows(power: str | None = None) -> list[PolicyRow]:
    query = PolicyRule.select(
        PolicyRule.v0,
        PolicyRule.v1,
        PolicyRule.v2,
        PolicyRule.v3,
        PolicyRule.v4,
        PolicyRule.v5,
        PolicyRule.v6,
        PolicyRule.v7,
        PolicyRule.v8,
    ).where((PolicyRule.model == "authority") & (PolicyRule.ptype == "p"))
    if power is not None:
        query = query.where(PolicyRule.v1 == power)
    return [tuple(r[f"v{i}"] for i in range(9)) for r in await query.order_by(PolicyRule.id)]


def _policy_rule(row: PolicyRow) -> PolicyRule:
    holder, power, territory, sectors, act_types, ceiling, valid_from, valid_to, source = row
    return PolicyRule(
        model="authority",
        ptype="p",
        v0=holder,
        v1=power,
        v2=territory,
        v3=sectors,
        v4=act_types,
        v5=ceiling,
        v6=valid_from,
        v7=valid_to,
        v8=source,
    )


async def _replace_power_rows(code: str, rows: Iterable[PolicyRow]) -> None:
    await PolicyRule.delete().where((PolicyRule.model == "authority") & (PolicyRule.v1 == code))
    batch = [_policy_rule(row) for row in rows]
    for start in range(0, len(batch), 500):
        await PolicyRule.insert(*batch[start : start + 500])


async def bump_policy_version(powers: Iterable[str]) -> int:
    """Move the version in the caller's transaction and say which powers' rows moved."""
    authority_engine().changing()
    await PolicyVersion.raw("UPDATE policy_version SET version = version + 1 WHERE id = 1")
    version = int(
        (await PolicyVersion.select(PolicyVersion.version).first() or {"version": 0})["version"]
    )
    changes = [PolicyChange(version=version, power_code=code) for code in sorted(set(powers))]
    if changes:
        await PolicyChange.insert(*changes)
    return version


#: Powers touched so far in a write transaction that refreshes them once, at its end.
_deferred: ContextVar[set[str] | None] = ContextVar("deferred_projection", default=None)


async def refresh_powers(codes: Iterable[str]) -> int | None:
    """Recompute the rows of the given powers inside the caller's write transaction.

    Inside `deferred_projection()` the powers are only noted (None is returned): the rows are
    recomputed once per power when that block ends, still inside the same transaction.
    """
    pending = _deferred.get()
    if pending is not None:
        pending.update(codes)
        return None
    wanted = sorted(set(codes))
    for code in wanted:
        await _replace_power_rows(code, await power_rows(code))
    return await bump_policy_version(wanted)


@asynccontextmanager
async def deferred_projection() -> AsyncIterator[None]:
    """Many changes in one write transaction (an import): each touched power's rows are
    recomputed once at the end instead of after every change. Open it inside the transaction,
    so the rows still commit with the changes; on an error nothing is recomputed."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[str] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        await refresh_powers(pending)


@dataclass(slots=True)
class PolicyDifference:
    missing: list[PolicyRow] = field(default_factory=list)
    unexpected: list[PolicyRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.missing and not self.unexpected

    def summary(self) -> str:
        if self.empty:
            return (
                "Chính sách khớp với dữ liệu / policy rows match the state tables (0 differences)"
            )
        return (
            f"Thiếu/missing {len(self.missing)} rows, thừa/unexpected {len(self.unexpected)} rows"
        )


async def rebuild_policy(apply: bool = True) -> PolicyDifference:
    """Recompute every row from the state tables; report (and, with apply, fix) the difference."""
    from registry.db import write_transaction

    codes = [r["code"] for r in await Power.select(Power.code)]
    expected: list[PolicyRow] = []
    per_power: dict[str, list[PolicyRow]] = {}
    for code in codes:
        per_power[code] = await power_rows(code)
        expected.extend(per_power[code])
    stored = await stored_rows()
    expected_set, stored_set = set(expected), set(stored)
    difference = PolicyDifference(
        missing=sorted(expected_set - stored_set), unexpected=sorted(stored_set - expected_set)
    )
    if apply and not difference.empty:
        touched = {row[1] for row in difference.missing + difference.unexpected}
        async with write_transaction():
            for code in sorted(touched):
                await _replace_power_rows(code, per_power.get(code, []))
            await bump_policy_version(touched)
    return difference

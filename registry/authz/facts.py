"""What checks read besides the policy rows (powers, grant records by lineage, assignments,
head positions, the unit tree), read once per policy version and kept by the worker's engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from registry.authz.engine import AuthorityEngine
from registry.domain.grants import GrantRecord, PowerFacts
from registry.domain.units import UnitTree
from registry.domain.validity import Validity
from registry.grants import repository
from registry.grants.tables import Grant
from registry.organisation.tables import Assignment, Position
from registry.powers.tables import Power

#: A post held: position code, whether it heads its unit, the unit, from, until.
Held = tuple[str, bool, str, datetime, datetime | None]


def lineage_index(records: list[GrantRecord]) -> dict[int, list[GrantRecord]]:
    """Grant records by lineage, newest version first."""
    found: dict[int, list[GrantRecord]] = {}
    for record in records:
        found.setdefault(record.id, []).append(record)
    for versions in found.values():
        versions.sort(key=lambda r: r.version, reverse=True)
    return found


class CachedFacts:
    """What checks read besides the policy rows, loaded once per policy version (every write
    that changes grants, powers, positions, assignments or units moves the version)."""

    def __init__(self, engine: AuthorityEngine) -> None:
        self.engine = engine

    async def powers(self) -> dict[str, PowerFacts]:
        result: dict[str, PowerFacts] = await self.engine.cached("powers", repository.all_powers)
        return result

    async def power_validity(self, code: str) -> Validity | None:
        async def load() -> dict[str, Validity]:
            rows = await Power.select(Power.code, Power.valid_from, Power.valid_to)
            return {r["code"]: Validity(r["valid_from"], r["valid_to"]) for r in rows}

        validities: dict[str, Validity] = await self.engine.cached("power_validity", load)
        return validities.get(code)

    async def lineages(self, power: str) -> dict[int, list[GrantRecord]]:
        """The power's grant records by lineage, newest version first."""

        async def load() -> dict[int, list[GrantRecord]]:
            return lineage_index(await self.records(power))

        result: dict[int, list[GrantRecord]] = await self.engine.cached(("lineages", power), load)
        return result

    async def records(self, power: str) -> list[GrantRecord]:
        result: list[GrantRecord] = await self.engine.cached(
            ("records", power), lambda: repository.grant_records(power=power)
        )
        return result

    async def grant_extra(self, power: str) -> dict[tuple[int, int], dict[str, Any]]:
        async def load() -> dict[tuple[int, int], dict[str, Any]]:
            rows = await Grant.select(
                Grant.lineage,
                Grant.version,
                Grant.ledger_index,
                Grant.instrument.number.as_alias("instrument_number"),
            ).where(Grant.power.code == power)
            return {(r["lineage"], r["version"]): r for r in rows}

        result: dict[tuple[int, int], dict[str, Any]] = await self.engine.cached(
            ("extra", power), load
        )
        return result

    async def tree(self) -> UnitTree:
        result: UnitTree = await self.engine.cached("tree", repository.unit_tree)
        return result

    async def assignments(
        self,
    ) -> dict[str, list[Held]]:
        async def load() -> dict[str, list[Held]]:
            rows = await Assignment.select(
                Assignment.official.code.as_alias("official_code"),
                Assignment.position.code.as_alias("position_code"),
                Assignment.position.is_head.as_alias("is_head"),
                Assignment.position._.unit._.code.as_alias("unit_code"),
                Assignment.valid_from,
                Assignment.valid_to,
            )
            found: dict[str, list[Held]] = {}
            for r in rows:
                found.setdefault(r["official_code"], []).append(
                    (
                        r["position_code"],
                        r["is_head"],
                        r["unit_code"],
                        r["valid_from"],
                        r["valid_to"],
                    )
                )
            return found

        result: dict[
            str, list[tuple[str, bool, str, datetime, datetime | None]]
        ] = await self.engine.cached("assignments", load)
        return result

    async def heads(self) -> dict[str, str]:
        """Head positions and the unit each heads."""

        async def load() -> dict[str, str]:
            rows = await Position.select(
                Position.code, Position.unit.code.as_alias("unit_code")
            ).where(Position.is_head == True)  # noqa: E712
            return {r["code"]: r["unit_code"] for r in rows}

        result: dict[str, str] = await self.engine.cached("heads", load)
        return result

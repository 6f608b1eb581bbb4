"""Read-side queries over the ledger for public pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from registry.tables import Grant, LedgerEntry, Official, Power, Unit


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """One ledger entry as the public pages show it."""

    index: int
    recorded_at: str
    event_type: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RegistryStatistics:
    units: int
    officials: int
    powers: int
    grants: int
    ledger_entries: int


async def home_statistics(latest: int = 8) -> tuple[RegistryStatistics, list[EntrySummary]]:
    stats = RegistryStatistics(
        units=await Unit.count(),
        officials=await Official.count(),
        powers=await Power.count(),
        grants=await Grant.count().where(Grant.version == 1),
        ledger_entries=await LedgerEntry.count(),
    )
    rows = (
        await LedgerEntry.select(
            LedgerEntry.idx, LedgerEntry.recorded_at, LedgerEntry.event_type, LedgerEntry.payload
        )
        .order_by(LedgerEntry.idx, ascending=False)
        .limit(latest)
    )
    entries = [
        EntrySummary(r["idx"], r["recorded_at"], r["event_type"], json.loads(r["payload"]))
        for r in rows
    ]
    return stats, entries

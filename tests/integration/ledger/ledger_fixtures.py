"""Ledger test data: append entries the way services do, and a known small ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from registry.db import write_transaction
from registry.ledger.events import EventType
from registry.ledger.journal import (
    EntryFilters,
    PendingEntry,
    append_entries,
    default_signer,
    sign_checkpoint,
)

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def grant_made(
    grant: int,
    grantee_name: str,
    unit: str,
    power: str = "DD-01",
    *,
    at: datetime = T0,
    event: EventType = EventType.GRANT_MADE,
    kind: str = "authorization",
    sector: str = "dat-dai",
    corrects: int | None = None,
) -> PendingEntry:
    facts: dict[str, Any] = {
        "grant": grant,
        "version": 1,
        "kind": kind,
        "power": power,
        "grantor": "position:UBND-T.CT",
        "grantee": f"official:CB-{grant:04d}",
        "territory": [unit],
        "valid_from": "2026-03-01T00:00:00Z",
        "valid_to": "2026-12-31T00:00:00Z",
        "may_pass_on": False,
        "instrument": f"{grant:02d}/GUQ-UBND",
    }
    filters = EntryFilters(
        power_code=power,
        unit_code=unit,
        sector=sector,
        grant_kind=kind,
        status=event.value.split(".", 1)[1],
        grant_lineage=grant,
        corrects_idx=corrects,
    )
    return PendingEntry(event, facts, at, filters, grantee_name)


def correction(corrects: int, reason: str, at: datetime = T0) -> PendingEntry:
    facts = {"corrects": corrects, "reason": reason, "corrected_fields": ["valid_to"]}
    return PendingEntry(
        EventType.CORRECTION, facts, at, EntryFilters(corrects_idx=corrects), reason
    )


async def append(entries: Sequence[PendingEntry], *, sign: bool = True) -> list[int]:
    """Append in one write transaction, as a service does, and sign a checkpoint."""
    async with write_transaction():
        indexes = await append_entries(entries)
        if sign:
            await sign_checkpoint(default_signer())
    return indexes


async def append_one_by_one(entries: Sequence[PendingEntry]) -> None:
    """One transaction and one checkpoint per entry (checkpoints at every size)."""
    for entry in entries:
        await append([entry])


#: The small ledger most tests search: index -> (grantee, unit, day offset).
PEOPLE = [
    ("Nguyễn Văn An", "XA-AN-PHU", 0),
    ("Trần Thị Bình", "SXD", 0),
    ("Đặng Văn Đức", "DNG", 1),
    ("Lê Nguyễn Hoà", "XA-AN-PHU", 2),
    ("Phạm Thị Đà Nẵng", "SXD", 3),
    ("Nguyễn Thị Văn", "DNG", 4),
]


async def seed_people() -> None:
    entries = [
        grant_made(
            i + 1,
            name,
            unit,
            power="DD-01" if i % 2 == 0 else "XD-02",
            at=T0 + timedelta(days=day),
            kind="authorization" if i % 3 else "decentralization",
        )
        for i, (name, unit, day) in enumerate(PEOPLE)
    ]
    await append_one_by_one(entries)

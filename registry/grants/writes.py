"""What recording a grant writes: straight away, or gathered during a grant import.

A form or an API call writes each row as it goes (`GrantWrites`). A grant import gathers the
new grants, their `made` events and their ledger entries (`GatheredWrites`) and writes them
together, in the same write transaction, before anything else reads or appends: a lifecycle
event of an imported grant, the batch's checkpoint, the end of the batch. Lineages and ledger
indexes are handed out in order as the rows would have received them one by one; the ledger
append checks that they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.grants.tables import Grant, GrantEvent
from registry.ledger.journal import PendingEntry, append_entries, append_entry, ledger_size


async def _last_lineage() -> int:
    rows = await Grant.raw("SELECT MAX(lineage) AS last FROM grant_version")
    return int(rows[0]["last"] or 0)


@dataclass(frozen=True, slots=True)
class MadeEvent:
    """The `made` event of a new grant, written once the grant's row has its id."""

    at: datetime
    actor: str
    ledger_index: int

    def row(self, grant: Grant) -> GrantEvent:
        return GrantEvent(
            lineage=grant.lineage,
            grant=grant.id,
            event="made",
            at=self.at,
            actor=self.actor,
            ledger_index=self.ledger_index,
        )


class GrantWrites:
    """Every row written at once."""

    async def next_lineage(self) -> int:
        return await _last_lineage() + 1

    async def append(self, entry: PendingEntry) -> int:
        return await append_entry(entry)

    async def add_grant(self, grant: Grant, made: MadeEvent) -> None:
        """Insert the first version of a grant and its `made` event (which names its row)."""
        rows = await Grant.insert(grant)
        grant.id = rows[0]["id"]
        await GrantEvent.insert(made.row(grant))

    async def flush(self) -> None:
        """Nothing is gathered here."""


DIRECT = GrantWrites()


@dataclass(frozen=True, slots=True)
class _Gathered:
    grant: Grant
    made: MadeEvent


class GatheredWrites(GrantWrites):
    """Rows gathered in a write transaction, written by `flush` (call it before the transaction
    ends and before anything else reads grants or appends to the ledger)."""

    def __init__(self) -> None:
        self._lineage: int | None = None
        self._size: int | None = None
        self._entries: list[PendingEntry] = []
        self._grants: list[_Gathered] = []

    async def next_lineage(self) -> int:
        if self._lineage is None:
            self._lineage = await _last_lineage()
        self._lineage += 1
        return self._lineage

    async def append(self, entry: PendingEntry) -> int:
        if self._size is None:
            self._size = await ledger_size()
        self._entries.append(entry)
        return self._size + len(self._entries) - 1

    async def add_grant(self, grant: Grant, made: MadeEvent) -> None:
        self._grants.append(_Gathered(grant, made))

    async def flush(self) -> None:
        entries, grants, size = self._entries, self._grants, self._size
        self._entries, self._grants = [], []
        # Read afresh after a flush: lifecycle events write lineages and entries of their own.
        self._lineage = self._size = None
        if entries:
            indexes = await append_entries(entries)
            if indexes[0] != size:
                raise RuntimeError("the ledger moved under a write transaction")
        if not grants:
            return
        for start in range(0, len(grants), 500):
            await Grant.insert(*(g.grant for g in grants[start : start + 500]))
        lineages = [g.grant.lineage for g in grants]
        ids = {
            r["lineage"]: r["id"]
            for r in await Grant.select(Grant.id, Grant.lineage).where(
                Grant.lineage.is_in(lineages) & (Grant.version == 1)
            )
        }
        events = []
        for gathered in grants:
            gathered.grant.id = ids[gathered.grant.lineage]
            events.append(gathered.made.row(gathered.grant))
        for start in range(0, len(events), 500):
            await GrantEvent.insert(*events[start : start + 500])

"""Read the stored ledger: entries, checkpoints and O(log n) Merkle proofs, with checked bounds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from registry.errors import AccessReason, InvalidInput, NotFound
from registry.ledger import merkle
from registry.ledger.journal import fetch_nodes, ledger_size
from registry.ledger.rows import fetch_rows
from registry.ledger.tables import Checkpoint, LedgerEntry

#: Larger numbers cannot be stored (SQLite and PostgreSQL integers are 64-bit).
MAX_POSITION = 2**62
MAX_ENTRIES_PAGE = 1000
MAX_CHECKPOINTS_PAGE = 1000

ENTRY_COLUMNS = "idx, recorded_at, event_type, payload, leaf_hash, corrects_idx"


@dataclass(slots=True)
class StoredEntry:
    """A ledger entry as stored, never changed once read; an object with slots, which templates
    read fast. Not `frozen`: a frozen dataclass sets each field through `object.__setattr__`,
    several microseconds per entry, and a search page builds fifty."""

    index: int
    recorded_at: str
    event_type: str
    #: The canonical JSON text exactly as hashed.
    payload_json: str
    leaf_hash: bytes
    corrects_idx: int | None

    @property
    def payload(self) -> dict[str, Any]:
        value = json.loads(self.payload_json)
        return value if isinstance(value, dict) else {}


class StoredCheckpoint(NamedTuple):
    """A signed tree head as stored."""

    size: int
    root_hash: bytes
    note: str
    signed_at: str


@dataclass(frozen=True, slots=True)
class InclusionProof:
    index: int
    tree_size: int
    leaf_hash: bytes
    audit_path: list[bytes]


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    first: int
    second: int
    proof: list[bytes]


def entry_from_tuple(row: Sequence[Any]) -> StoredEntry:
    """An entry from a row of ENTRY_COLUMNS, in that order."""
    index, recorded_at, event_type, payload, leaf, corrects = row
    return StoredEntry(
        int(index),
        recorded_at,
        event_type,
        payload,
        bytes.fromhex(leaf),
        None if corrects is None else int(corrects),
    )


def entry_from_row(row: dict[str, Any]) -> StoredEntry:
    return StoredEntry(
        int(row["idx"]),
        row["recorded_at"],
        row["event_type"],
        row["payload"],
        bytes.fromhex(row["leaf_hash"]),
        None if row["corrects_idx"] is None else int(row["corrects_idx"]),
    )


def _checkpoint_from_row(row: dict[str, Any]) -> StoredCheckpoint:
    return StoredCheckpoint(
        int(row["tree_size"]), bytes.fromhex(row["root_hash"]), row["note"], row["signed_at"]
    )


def invalid(field: str, detail: str) -> InvalidInput:
    return InvalidInput([AccessReason("INVALID_REQUEST", field=field, detail=detail)])


def check_position(field: str, value: int) -> int:
    """Refuse a negative or absurdly large index or size with a reason naming the parameter."""
    if value < 0:
        raise invalid(field, f"{field} must not be negative")
    if value > MAX_POSITION:
        raise invalid(field, f"{field} is too large")
    return value


async def entry_at(index: int) -> StoredEntry:
    check_position("index", index)
    rows = await fetch_rows(f"SELECT {ENTRY_COLUMNS} FROM ledger_entry WHERE idx = {{}}", index)
    if not rows:
        raise NotFound(f"ledger entry {index}")
    return entry_from_tuple(rows[0])


async def entries_between(start: int, end: int) -> list[StoredEntry]:
    """Entries [start, end) in index order; the range may not exceed 1000 entries."""
    check_position("start", start)
    check_position("end", end)
    if end < start:
        raise invalid("end", "end must not be smaller than start")
    if end - start > MAX_ENTRIES_PAGE:
        raise invalid("end", f"at most {MAX_ENTRIES_PAGE} entries per request")
    rows = await fetch_rows(
        f"SELECT {ENTRY_COLUMNS} FROM ledger_entry WHERE idx >= {{}} AND idx < {{}} ORDER BY idx",
        start,
        end,
    )
    return [entry_from_tuple(row) for row in rows]


async def entries_correcting(index: int) -> list[int]:
    """Indexes of the entries that correct the given one."""
    rows = await LedgerEntry.raw(
        "SELECT idx FROM ledger_entry WHERE corrects_idx = {} ORDER BY idx", index
    )
    return [int(row["idx"]) for row in rows]


async def latest_checkpoint() -> StoredCheckpoint | None:
    rows = await fetch_rows(
        "SELECT tree_size, root_hash, note, signed_at FROM checkpoint "
        "ORDER BY tree_size DESC LIMIT 1"
    )
    if not rows:
        return None
    size, root, note, signed_at = rows[0]
    return StoredCheckpoint(int(size), bytes.fromhex(root), note, signed_at)


async def require_latest_checkpoint() -> StoredCheckpoint:
    checkpoint = await latest_checkpoint()
    if checkpoint is None:
        raise NotFound("ledger checkpoint")
    return checkpoint


async def checkpoints_after(after: int | None) -> list[StoredCheckpoint]:
    """Checkpoints with a size above `after` (None: all), oldest first, at most 1000."""
    after = -1 if after is None else check_position("after", after)
    rows = await Checkpoint.raw(
        "SELECT tree_size, root_hash, note, signed_at FROM checkpoint WHERE tree_size > {} "
        f"ORDER BY tree_size LIMIT {MAX_CHECKPOINTS_PAGE}",
        after,
    )
    return [_checkpoint_from_row(row) for row in rows]


async def _check_size(field: str, size: int) -> None:
    check_position(field, size)
    if size > await ledger_size():
        raise NotFound(f"ledger tree of size {size}")


async def inclusion_proof(index: int, size: int) -> InclusionProof:
    """PATH(index, D[size]) from O(log size) stored nodes read in one query."""
    check_position("index", index)
    await _check_size("size", size)
    if index >= size:
        raise invalid("index", "index must be smaller than size")
    keys = merkle.inclusion_proof_keys(index, size)
    nodes = await fetch_nodes([*keys, (0, index)])
    path = merkle.assemble_inclusion_proof(index, size, nodes)
    return InclusionProof(index, size, nodes[(0, index)], path)


async def consistency_proof(first: int, second: int) -> ConsistencyProof:
    """PROOF(first, D[second]) from O(log second) stored nodes read in one query."""
    check_position("first", first)
    if first > second:
        raise invalid("first", "first must not be larger than second")
    await _check_size("second", second)
    nodes = await fetch_nodes(merkle.consistency_proof_keys(first, second))
    return ConsistencyProof(first, second, merkle.assemble_consistency_proof(first, second, nodes))

"""Record acts on SQLite from a thread of its own: the rows and ledger entries of a batch are
built on the importing thread, then written by a writer thread holding a plain sqlite3
connection, so SQLite's work (which releases the GIL) overlaps the trace of the next batch.

The rows are those `record_traced` writes: the same act rows, ledger entries, search rows,
Merkle nodes and checkpoint. A batch is built against the tip it expects the database to
have (the last act id, the ledger's size, newest time and frontier nodes), which is the tip
the previous batch leaves. The writer reads the tip again inside its IMMEDIATE transaction;
if anything else wrote in between, the batch is built again against what it found.

The ledger's append is `registry.ledger.journal.append_entries` done from a batch's values
instead of through the event loop; a test holds the stored rows equal to that path's.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from registry.acts.ledger_rows import ChainEncoder, entry_rows
from registry.acts.lookups import Lookups
from registry.acts.recording import ACT_COLUMNS, act_rows, ledger_entries
from registry.acts.records import ActInput
from registry.acts.trace import Trace
from registry.domain.validity import utc_string
from registry.ledger import merkle
from registry.ledger.checkpoint import Checkpoint as SignedHead
from registry.ledger.checkpoint import sign_note
from registry.ledger.journal import ENTRY_COLUMNS, LedgerSigner

T = TypeVar("T")
Traced = Sequence[tuple[ActInput, Trace]]


@dataclass(frozen=True, slots=True)
class Tip:
    """What a batch is appended after: the last act id, the ledger's size and newest time,
    and the stored nodes an append combines with (`merkle.frontier_keys(size)`)."""

    last_act: int
    size: int
    newest: str
    frontier: dict[merkle.NodeKey, bytes]


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """A batch's rows for every table, built against `tip`; `after` is the tip it leaves."""

    traced: Traced
    tip: Tip
    after: Tip
    #: Rows of `act`, `ledger_entry`, `ledger_search` and `merkle_node` as JSON arrays.
    acts: str
    entries: str
    search: str
    nodes: str
    checkpoint: tuple[int, str, str, str]

    def stored(self) -> dict[str, tuple[int, int]]:
        """Natural key -> (act id, index of its `act.traced` entry), as `record_traced`."""
        return {
            act.natural_key: (self.tip.last_act + 1 + position, self.tip.size + 2 * position + 1)
            for position, (act, _trace) in enumerate(self.traced)
        }


@dataclass(frozen=True, slots=True)
class BatchBuilder:
    """Everything a batch's rows depend on besides the tip."""

    lookups: Lookups
    at: datetime
    by: str
    signer: LedgerSigner
    encoder: ChainEncoder = field(default_factory=ChainEncoder)

    def build(self, traced: Traced, tip: Tip) -> PreparedBatch:
        ids = range(tip.last_act + 1, tip.last_act + 1 + len(traced))
        entries = ledger_entries(traced, ids, self.lookups, self.at)
        rows, leaves, newest = entry_rows(tip.size, tip.newest, entries, self.encoder)
        nodes = merkle.append_nodes(tip.size, tip.frontier, leaves)
        size = tip.size + len(entries)
        known = {**tip.frontier, **{(n.level, n.idx): n.hash for n in nodes}}
        frontier = {key: known[key] for key in merkle.frontier_keys(size)}
        root = merkle.assemble_root(size, frontier)
        origin = self.signer.origin
        note = sign_note(SignedHead(origin, size, root).body(), origin, self.signer.key)
        return PreparedBatch(
            traced=traced,
            tip=tip,
            after=Tip(tip.last_act + len(traced), size, newest, frontier),
            acts=rows_json(
                act_rows(
                    traced,
                    self.lookups,
                    at=self.at,
                    by=self.by,
                    size=tip.size,
                    chain_text=self.encoder.stored_chain,
                )
            ),
            # The ledger's rows hold only text, integers and None: nothing to adapt.
            entries=_ROWS_ENCODER.encode(rows),
            # The entry index is the search row id (see append_entries).
            search=_ROWS_ENCODER.encode([(row[0], row[-1]) for row in rows]),
            nodes=_ROWS_ENCODER.encode([(n.level, n.idx, n.hash.hex()) for n in nodes]),
            checkpoint=(size, root.hex(), note, utc_string(self.at)),
        )


def rows_json(rows: Sequence[Sequence[Any]]) -> str:
    """Rows as one JSON array of arrays, each value as the sqlite3 module would bind it (a
    datetime through the adapter Piccolo registers)."""
    return _ROWS_ENCODER.encode(
        [
            [
                value if value is None or type(value) in (str, int) else _bound(value)
                for value in row
            ]
            for row in rows
        ]
    )


def _bound(value: object) -> object:
    adapter = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    return value if adapter is None else adapter(value)


_ROWS_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    """One statement for a whole batch: the rows come as one JSON text, so the insert is one
    step of SQLite's, all of it without the GIL. Bound row by row (`executemany`), the writer
    thread took the GIL back after every row and waited for it while the importing thread
    traced: 20,000 acts' rows took 62 s instead of 9 s against a busy importing thread."""
    values = ", ".join(f"value ->> {position}" for position in range(len(columns)))
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM json_each(?) ORDER BY key"
    )


_INSERT_ACT = _insert_sql("act", ACT_COLUMNS)
_INSERT_ENTRY = _insert_sql("ledger_entry", ENTRY_COLUMNS)
_INSERT_SEARCH = _insert_sql("ledger_search", ("rowid", "body"))
_INSERT_NODE = _insert_sql("merkle_node", ("level", "idx", "hash"))
_INSERT_CHECKPOINT = (
    "INSERT INTO checkpoint (tree_size, root_hash, note, signed_at) VALUES (?, ?, ?, ?)"
)


def read_tip(connection: sqlite3.Connection) -> Tip:
    (last_act,) = connection.execute("SELECT COALESCE(MAX(id), 0) FROM act").fetchone()
    last = connection.execute(
        "SELECT idx, recorded_at FROM ledger_entry ORDER BY idx DESC LIMIT 1"
    ).fetchone()
    size, newest = (0, "") if last is None else (int(last[0]) + 1, str(last[1]))
    keys = merkle.frontier_keys(size)
    frontier: dict[merkle.NodeKey, bytes] = {}
    if keys:
        clauses = " OR ".join("(level = ? AND idx = ?)" for _ in keys)
        for level, idx, digest in connection.execute(
            f"SELECT level, idx, hash FROM merkle_node WHERE {clauses}",
            [value for key in keys for value in key],
        ):
            frontier[(int(level), int(idx))] = bytes.fromhex(digest)
    return Tip(int(last_act), size, newest, frontier)


def write_batch(
    connection: sqlite3.Connection,
    batch: PreparedBatch,
    rebuild: Callable[[Traced, Tip], PreparedBatch],
) -> PreparedBatch:
    """One IMMEDIATE transaction: the acts, their entries, search rows, nodes, checkpoint.
    Runs on the writer thread; returns the batch as written (built again if the tip moved)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        tip = read_tip(connection)
        if tip != batch.tip:
            batch = rebuild(batch.traced, tip)
        connection.execute(_INSERT_ACT, (batch.acts,))
        (last_act,) = connection.execute("SELECT MAX(id) FROM act").fetchone()
        if last_act != batch.after.last_act:  # ids are handed out one past the largest
            raise RuntimeError("act ids were not given in order")
        connection.execute(_INSERT_ENTRY, (batch.entries,))
        connection.execute(_INSERT_SEARCH, (batch.search,))
        connection.execute(_INSERT_NODE, (batch.nodes,))
        # As sign_checkpoint: a checkpoint only for a size not signed yet.
        (signed,) = connection.execute(
            "SELECT COALESCE(MAX(tree_size), -1) FROM checkpoint"
        ).fetchone()
        if signed < batch.after.size:
            connection.execute(_INSERT_CHECKPOINT, batch.checkpoint)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # SQLite rolls back by itself after some errors
            connection.execute("ROLLBACK")
        raise
    return batch


class SQLiteWriter:
    """A thread owning one sqlite3 connection to the database, running one call at a time."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        self._connection: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="acts-writer")

    def submit(self, call: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        """Start the call on the writer thread now; the future is the event loop's."""
        return asyncio.get_running_loop().run_in_executor(self._thread, self._call, call)

    def _call(self, call: Callable[[sqlite3.Connection], T]) -> T:
        if self._connection is None:
            self._connection = self._connect()
        return call(self._connection)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._thread, self._close)
        self._thread.shutdown(wait=False)

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class SQLiteRecorder:
    """Batches built on the caller's thread against the tip the batch before leaves, and
    written one after the other by the writer thread."""

    def __init__(self, writer: SQLiteWriter, builder: BatchBuilder, tip: Tip) -> None:
        self.writer = writer
        self.builder = builder
        #: The tip the next batch is built against, and the one the last written batch left.
        self._expected = self._written = tip

    def prepare(self, traced: Traced) -> PreparedBatch:
        batch = self.builder.build(traced, self._expected)
        self._expected = batch.after
        return batch

    def start(self, batch: PreparedBatch) -> asyncio.Future[dict[str, tuple[int, int]]]:
        """Hand the batch to the writer thread now (it starts at once, whatever the caller's
        thread does next); called once the batch before is written."""
        if batch.tip != self._written:  # something else wrote: build it again on what is there
            batch = self.builder.build(batch.traced, self._written)
            self._expected = batch.after
        build = self.builder.build
        written = self.writer.submit(lambda connection: write_batch(connection, batch, build))
        return asyncio.ensure_future(self._stored(written))

    async def _stored(self, written: asyncio.Future[PreparedBatch]) -> dict[str, tuple[int, int]]:
        batch = await written
        self._written = batch.after
        return batch.stored()

    async def close(self) -> None:
        await self.writer.close()

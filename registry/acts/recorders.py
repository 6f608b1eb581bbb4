"""How an import records its traced batches: on SQLite by a writer thread of its own
(`registry.acts.sqlite_recording`), otherwise with `record_traced` in the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from piccolo.engine.sqlite import SQLiteEngine

from registry.acts.lookups import Lookups
from registry.acts.recording import record_traced
from registry.acts.records import ActInput
from registry.acts.sqlite_recording import BatchBuilder, SQLiteRecorder, SQLiteWriter, read_tip
from registry.acts.trace import Trace
from registry.db import current_engine
from registry.ledger.journal import LedgerSigner


class Recorder(Protocol):
    """Records traced batches one write transaction after the other, in the order started."""

    def prepare(self, traced: list[tuple[ActInput, Trace]]) -> Any: ...

    def start(self, prepared: Any) -> asyncio.Future[dict[str, tuple[int, int]]]: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class TransactionRecorder:
    """`record_traced` in the caller's event loop: the driver's thread does the database work
    while the next batch is traced (which lets it send its next statement now and then)."""

    lookups: Lookups
    by: str
    at: datetime
    signer: LedgerSigner

    def prepare(self, traced: list[tuple[ActInput, Trace]]) -> Any:
        return traced

    def start(self, prepared: Any) -> asyncio.Future[dict[str, tuple[int, int]]]:
        return asyncio.ensure_future(
            record_traced(prepared, self.lookups, by=self.by, at=self.at, signer=self.signer)
        )

    async def close(self) -> None:
        return None


async def recorder_for(lookups: Lookups, by: str, at: datetime, signer: LedgerSigner) -> Recorder:
    """On SQLite, outside any transaction of the caller, a writer thread of the import's own;
    otherwise the caller's engine and transaction."""
    engine = current_engine()
    if (
        not isinstance(engine, SQLiteEngine)
        or engine.current_transaction.get() is not None
        or ":memory:" in str(engine.path)  # another connection would see another database
    ):
        return TransactionRecorder(lookups, by, at, signer)
    # Autocommit: the writer opens each batch's transaction itself (BEGIN IMMEDIATE).
    kwargs = {**engine.connection_kwargs, "isolation_level": None}

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(**kwargs)
        connection.execute("PRAGMA foreign_keys = 1")  # as the engine's connections
        # A batch dirties tens of megabytes of pages: kept until the commit, they are written
        # once instead of spilled and written again (writer CPU 26-28 -> 22-24 s for 100,000).
        connection.execute("PRAGMA cache_size = -131072")
        return connection

    writer = SQLiteWriter(connect)
    try:
        tip = await writer.submit(read_tip)
    except BaseException:
        await writer.close()
        raise
    return SQLiteRecorder(writer, BatchBuilder(lookups, at, by, signer), tip)

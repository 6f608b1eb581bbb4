"""Raw driver access for the ledger's bulk paths: rows as tuples, one prepared statement per batch.

Appends insert thousands of rows per transaction and verification reads every row of the
ledger; Piccolo's `raw()` runs one statement per call and builds a dict per row, which cost
more than the hashing itself. These helpers use the driver under Piccolo (aiosqlite, asyncpg).
SQL is written with `{}` placeholders, as for `Table.raw`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, NamedTuple, Protocol, TypeVar

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

from registry.db import current_engine

Row = Sequence[Any]
T = TypeVar("T")


def driver_sql(sql: str, *, postgres: bool) -> str:
    """`{}` placeholders as the driver wants them: `$1, $2...` (asyncpg) or `?` (sqlite3)."""
    if not postgres:
        return sql.replace("{}", "?")
    numbers = itertools.count(1)
    parts = sql.split("{}")
    return parts[0] + "".join(f"${next(numbers)}{part}" for part in parts[1:])


def _transaction_connection(engine: Engine) -> Any:
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("ledger rows are written inside registry.db.write_transaction()")
    return transaction.connection


async def fetch_rows(sql: str, *args: Any) -> list[Row]:
    """Rows of a small query; inside a transaction one driver call on its connection.

    Piccolo spends several thread hops per query on SQLite (a PRAGMA, the statement, the
    fetch, the close): in a one-entry append they cost more than the append itself.
    """
    engine = current_engine()
    if engine.current_transaction.get() is None:
        if isinstance(engine, SQLiteEngine):
            return await asyncio.get_running_loop().run_in_executor(
                _SQLITE_READER,
                _sqlite_read,
                str(engine.path),
                driver_sql(sql, postgres=False),
                args,
            )
        return [tuple(row.values()) for row in await engine.run_querystring(_raw(sql, args))]
    connection = _transaction_connection(engine)
    if isinstance(engine, PostgresEngine):
        return list(await connection.fetch(driver_sql(sql, postgres=True), *args))
    rows = await connection.execute_fetchall(driver_sql(sql, postgres=False), args)
    # Piccolo's row factory on this connection makes dicts, in column order.
    return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]


#: Reads outside a transaction on SQLite go to one long-lived thread holding a few kept
#: connections: Piccolo opens a connection, and starts a thread, for every query, which cost
#: more than the query on a busy machine. Idle pool threads do not hold up interpreter exit.
_SQLITE_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-read")
_KEPT_CONNECTIONS = 4
_reader_state = threading.local()


def _sqlite_read(path: str, sql: str, args: Sequence[Any]) -> list[Row]:
    kept: OrderedDict[str, tuple[int, sqlite3.Connection]] = _reader_state.__dict__.setdefault(
        "connections", OrderedDict()
    )
    # A file replaced at the same path (a restore, a rebuilt test database) is a new inode:
    # the connection to the old one must not serve it.
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        inode = -1  # sqlite3 creates it; the next read sees a new inode and reconnects
    known = kept.pop(path, None)
    if known is not None and known[0] != inode:
        known[1].close()
        known = None
    if known is None:
        # Autocommit: each statement reads the latest committed ledger (WAL: never blocked).
        known = (inode, sqlite3.connect(path, isolation_level=None, timeout=30))
    kept[path] = known
    while len(kept) > _KEPT_CONNECTIONS:
        kept.popitem(last=False)[1][1].close()
    return known[1].execute(sql, args).fetchall()


def _raw(sql: str, args: Sequence[Any]) -> QueryString:
    return QueryString(sql, *args)


#: PostgreSQL: batches from this many rows are sent with COPY; smaller ones as one prepared
#: statement (COPY costs one more round trip, which a one-entry append would notice).
COPY_FROM_ROWS = 64


class Insert(NamedTuple):
    """Rows for one table, inserted by one statement."""

    table: str
    columns: Sequence[str]
    rows: Sequence[Row]

    def sql(self, *, postgres: bool) -> str:
        values = ", ".join("{}" for _ in self.columns)
        # SQLite: FAIL, like the append-only guards (migration 2026-11-29T21:10). Where any
        # constraint or trigger of a statement may ABORT it, SQLite copies every page a row
        # changes into a statement journal first, so that it can undo that row alone: about
        # six pages per entry. A refused row fails the statement either way, and the write
        # transaction around it is rolled back.
        verb = "INSERT" if postgres else "INSERT OR FAIL"
        return driver_sql(
            f"{verb} INTO {self.table} ({', '.join(self.columns)}) VALUES ({values})",
            postgres=postgres,
        )


async def on_sqlite_transaction(work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` with the SQLite write transaction's own connection, in one call to its
    thread: each call is a thread hop, and a one-entry append's reads cost less than a hop.
    The connection makes dicts of rows (Piccolo's row factory): `work` should read through a
    cursor of its own (`tuple_cursor`)."""
    engine = current_engine()
    connection = _transaction_connection(engine)
    # aiosqlite runs one function at a time on the connection's own thread.
    result: T = await connection._execute(work, connection._conn)
    return result


def tuple_cursor(raw: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = raw.cursor()
    cursor.row_factory = None
    return cursor


#: The page cache of a connection that appends (it stays set on the kept connection). With
#: SQLite's default 2 MiB, each batch read back from the OS the index pages it had written the
#: batch before (the (column, idx) indexes alone take 410 insertion points) and spilled dirty
#: pages mid-transaction; at 1M entries 16 MiB took SQLite's CPU per 1000 entries from 64 to
#: 49 ms, and 64 or 256 MiB did no better. Pages are allocated only as they are used.
_WRITER_CACHE = "PRAGMA cache_size = -32768"


async def insert_rows(*inserts: Insert) -> None:
    """Insert rows in the caller's write transaction, one statement per table.

    On SQLite every statement runs in one call to the connection's thread: each call is a
    thread hop, a tenth of a millisecond or more on a busy machine, and a one-entry append
    inserts into three tables. On PostgreSQL a large batch is one COPY, which skips the
    executor's per-row statement work (1000 entries at 1M: 146 instead of 246 ms).
    """
    engine = current_engine()
    connection = _transaction_connection(engine)
    wanted = [i for i in inserts if i.rows]
    if isinstance(engine, PostgresEngine):
        for i in wanted:
            if len(i.rows) < COPY_FROM_ROWS:
                await connection.executemany(i.sql(postgres=True), i.rows)
            else:
                await connection.copy_records_to_table(
                    i.table, records=i.rows, columns=list(i.columns)
                )
        return
    statements = [(i.sql(postgres=False), i.rows) for i in wanted]

    def insert_all(raw: sqlite3.Connection) -> None:
        raw.execute(_WRITER_CACHE)
        for sql, rows in statements:
            raw.executemany(sql, rows)

    # aiosqlite runs one function at a time on the connection's own thread.
    await connection._execute(insert_all, connection._conn)


class RowReader(Protocol):
    def batches(self, sql: str, *args: Any, size: int) -> AsyncIterator[list[Row]]: ...


class _SQLiteReader:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def batches(self, sql: str, *args: Any, size: int) -> AsyncIterator[list[Row]]:
        cursor = await self.connection.execute(driver_sql(sql, postgres=False), args)
        try:
            while rows := await cursor.fetchmany(size):
                yield list(rows)
        finally:
            await cursor.close()


class _PostgresReader:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    async def batches(self, sql: str, *args: Any, size: int) -> AsyncIterator[list[Row]]:
        # A server-side cursor: the server keeps the result, the client holds one batch.
        cursor = await self.connection.cursor(driver_sql(sql, postgres=True), *args)
        while rows := await cursor.fetch(size):
            yield rows


@asynccontextmanager
async def read_snapshot() -> AsyncIterator[RowReader]:
    """A read-only snapshot on a connection of its own: every batch sees the same ledger."""
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        async with aiosqlite.connect(engine.path, isolation_level=None) as connection:
            await connection.execute("BEGIN")
            try:
                yield _SQLiteReader(connection)
            finally:
                await connection.execute("COMMIT")
        return
    if not isinstance(engine, PostgresEngine):
        raise sqlite3.NotSupportedError(f"no raw reader for {engine.engine_type}")
    connection = await engine.get_new_connection()
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            yield _PostgresReader(connection)
    finally:
        await connection.close()

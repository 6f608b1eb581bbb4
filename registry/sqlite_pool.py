"""SQLite connections kept open and reused, instead of one new connection per query.

Piccolo's `SQLiteEngine` opens a connection (and starts the thread `aiosqlite` runs it in) for
every query outside a transaction and for every transaction, then closes it: about half a
millisecond each, more than most of our queries cost. `PooledSQLiteEngine` keeps up to
`keep` idle connections and hands them out again. A connection goes back only when it is
clean: no transaction left open, no error while committing or rolling back; anything else is
closed. The threads are daemons, so a process never waits at exit for idle connections.

Behaviour is Piccolo's: the same PRAGMA, row factory, autocommit after a query outside a
transaction, `BEGIN <type>` for transactions, nested transactions joining their parent.
"""

from __future__ import annotations

from typing import Any

import aiosqlite
import aiosqlite.core
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction on a kept connection, given back to the pool when it ends cleanly."""

    engine: PooledSQLiteEngine

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        clean = True
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            clean = False
            raise
        finally:
            await self.engine.release(self.connection, clean=clean)
            self.engine.current_transaction.reset(self.context)
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, keep: int = 4, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self.keep = keep
        self._idle: list[aiosqlite.Connection] = []

    async def get_connection(self) -> aiosqlite.Connection:
        while self._idle:
            connection = self._idle.pop()
            if connection._connection is not None:  # not closed behind our back
                return connection
        pending = aiosqlite.connect(**self.connection_kwargs)
        pending._thread.daemon = True  # idle connections must not hold the process at exit
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def release(self, connection: aiosqlite.Connection, clean: bool = True) -> None:
        """Keep a connection for the next caller, or close it if it is not clean."""
        if clean and not connection.in_transaction and len(self._idle) < self.keep:
            self._idle.append(connection)
            return
        await connection.close()

    def close_idle(self) -> None:
        """Close the kept connections (their threads close them and end), without waiting."""
        idle, self._idle = self._idle, []
        for connection in idle:
            _stop(connection)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        connection = await self.get_connection()
        clean = False
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                if query_type == "insert" and self.get_version_sync() < 3.35:
                    assert table is not None
                    pk = await self._get_inserted_pk(cursor, table)
                    rows: Any = [{table._meta.primary_key._meta.db_column_name: pk}]
                else:
                    rows = await cursor.fetchall()
            clean = True
            return rows
        finally:
            await self.release(connection, clean=clean)


def _stop(connection: aiosqlite.Connection) -> None:
    """`Connection.stop()` answers through a future of the current event loop, which may be
    closed by the time the connection's thread answers (a test binding its next database): the
    thread then dies raising. Asked without a future, it closes the connection and ends quietly."""
    connection._running = False
    connection._tx.put_nowait((None, _closer(connection)))


def _closer(connection: aiosqlite.Connection) -> Any:
    def close_and_stop() -> object:
        if connection._connection is not None:
            connection._connection.close()
            connection._connection = None
        return aiosqlite.core._STOP_RUNNING_SENTINEL

    return close_and_stop

"""One small query a worker asks on every request, answered in microseconds.

On SQLite through one read-only connection the worker keeps open: a Piccolo query would open a
connection in a new thread each time. In WAL mode that connection never blocks a writer and sees
every committed transaction. On PostgreSQL it is one query through the worker's pool (a plain
query, without Piccolo's query building and row dictionaries).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

from registry.db import current_engine


class KeptReader:
    """Reads the first row of `sql`; keeps its SQLite connection for the worker's lifetime."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self._path: str | None = None
        self._connection: sqlite3.Connection | None = None

    async def first_row(self) -> tuple[Any, ...] | None:
        engine = current_engine()
        if isinstance(engine, SQLiteEngine):
            try:
                return self._read_sqlite(str(engine.path))
            except sqlite3.Error:
                self.close()
        elif isinstance(engine, PostgresEngine) and engine.pool is not None:
            async with engine.pool.acquire() as connection:
                found = await connection.fetchrow(self.sql)
            return tuple(found) if found is not None else None
        rows = await engine.run_querystring(QueryString(self.sql))
        return tuple(rows[0].values()) if rows else None

    def _read_sqlite(self, path: str) -> tuple[Any, ...] | None:
        if self._connection is None or self._path != path:
            self.close()
            self._connection = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
            self._path = path
        row = self._connection.execute(self.sql).fetchone()
        return tuple(row) if row is not None else None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._path = None, None

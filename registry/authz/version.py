"""The policy version as a worker reads it before every decision: the cheap question that keeps
workers and hosts in step (it moves in every write transaction that changes who may do what).

On SQLite it is read through one read-only connection the worker keeps open: microseconds, where
a Piccolo query would open a connection in a new thread each time. In WAL mode that connection
never blocks a writer and sees every committed transaction. On PostgreSQL it is one query through
the worker's pool (a plain query, without Piccolo).
"""

from __future__ import annotations

import sqlite3

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from registry.authz.tables import PolicyVersion
from registry.db import current_engine

VERSION_SQL = "SELECT version FROM policy_version WHERE id = 1"


async def stored_policy_version() -> int:
    row = await PolicyVersion.select(PolicyVersion.version).where(PolicyVersion.id == 1).first()
    return int(row["version"]) if row else 0


class VersionReader:
    """Reads the stored policy version; keeps its SQLite connection for the worker's lifetime."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._connection: sqlite3.Connection | None = None

    async def read(self) -> int:
        engine = current_engine()
        if isinstance(engine, SQLiteEngine):
            try:
                return self._read_sqlite(str(engine.path))
            except sqlite3.Error:
                self.close()
        elif isinstance(engine, PostgresEngine) and engine.pool is not None:
            # Straight through the pool: Piccolo's query building and row dictionaries cost
            # three times the round trip. Like the SQLite reader, it sees committed versions.
            async with engine.pool.acquire() as connection:
                value = await connection.fetchval(VERSION_SQL)
            return int(value) if value is not None else 0
        return await stored_policy_version()

    def _read_sqlite(self, path: str) -> int:
        if self._connection is None or self._path != path:
            self.close()
            self._connection = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
            self._path = path
        row = self._connection.execute(VERSION_SQL).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._path = None, None

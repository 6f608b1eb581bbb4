"""Database engines and the one way to open a write transaction on either engine."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from registry import piccolo_sqlite
from registry.sqlite_pool import PooledSQLiteEngine

if TYPE_CHECKING:
    from registry.settings import DatabaseSettings

piccolo_sqlite.install()

#: A lock for every write on PostgreSQL: appends to the ledger must be serialised.
LEDGER_LOCK_KEY = 7_301_955


def engine_for(database: DatabaseSettings) -> Engine:
    """The Piccolo engine for a database URL: SQLite by default, PostgreSQL to scale out."""
    if database.engine == "postgres":
        return PostgresEngine(config={"dsn": database.url}, log_queries=False)
    path = database.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # A busy writer makes others wait instead of failing with "database is locked".
    if os.environ.get("REGISTRY_SQLITE_POOL", "1").strip().lower() in {"0", "false", "no", "off"}:
        return SQLiteEngine(path=str(path), timeout=30)
    return PooledSQLiteEngine(path=str(path), timeout=30)


def current_engine() -> Engine:
    """The engine every table is bound to (from `registry.piccolo_conf`)."""
    from registry.tables import Unit

    return Unit._meta.db


def is_postgres(engine: Engine | None = None) -> bool:
    return (engine or current_engine()).engine_type == "postgres"


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """One use case, one transaction: state, ledger and policy rows commit together or not at all.

    On SQLite the transaction is IMMEDIATE (a deferred one fails concurrent writers with
    "database is locked"); on PostgreSQL an advisory transaction lock serialises ledger appends.
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate) as tx:
            yield tx
        return
    async with engine.transaction() as tx:
        await engine.run_ddl(f"SELECT pg_advisory_xact_lock({LEDGER_LOCK_KEY})")
        yield tx


@asynccontextmanager
async def read_transaction() -> AsyncIterator[Any]:
    """A consistent snapshot for a read that spans several queries."""
    engine = current_engine()
    async with engine.transaction() as tx:
        yield tx


def enable_sqlite_wal(path: str) -> None:
    """Turn on WAL once; the mode is stored in the database file and survives restarts."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")


def bind_engine(engine: Engine) -> None:
    """Point every table at `engine` (tests, `ledger replay` into another database)."""
    from registry.tables import TABLES

    previous = TABLES[0]._meta.db
    if isinstance(previous, PooledSQLiteEngine) and previous is not engine:
        previous.close_idle()
    for table in TABLES:
        table._meta.db = engine

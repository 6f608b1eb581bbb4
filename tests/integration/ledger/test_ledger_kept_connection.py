"""Ledger appends on SQLite run on a kept connection (decision 17), not one opened per transaction.

Opening a connection starts a thread and reads the schema: more than a one-entry durable append
costs. From 16:19 to 20:45 on 2026-11-29 the pool's `transaction` override sat, unreachable,
inside a module-level helper, so every write transaction opened a connection of its own.
"""

from __future__ import annotations

import pytest

from registry.db import current_engine, write_transaction
from registry.ledger.journal import append_entries
from registry.sqlite_pool import PooledSQLiteEngine
from tests.conftest import ENGINE
from tests.integration.ledger.ledger_fixtures import grant_made

pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's kept connections")


async def test_consecutive_appends_reuse_one_kept_connection(database: str) -> None:
    engine = current_engine()
    assert isinstance(engine, PooledSQLiteEngine)
    used = []
    for grant in (1, 2, 3):
        async with write_transaction() as transaction:
            await append_entries([grant_made(grant, f"Cán bộ {grant}", "SXD")])
            used.append(transaction.connection)
    assert used[0] is used[1] is used[2]
    assert engine._idle == [used[0]]


async def test_a_failed_append_does_not_give_its_connection_back(database: str) -> None:
    engine = current_engine()
    assert isinstance(engine, PooledSQLiteEngine)

    async def append_then_fail() -> None:
        async with write_transaction():
            await append_entries([grant_made(1, "Cán bộ 1", "SXD")])
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await append_then_fail()
    # Rolled back cleanly: the connection is kept, with no transaction left open on it.
    assert len(engine._idle) == 1
    assert not engine._idle[0].in_transaction

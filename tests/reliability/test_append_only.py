"""The ledger tables refuse every way of rewriting a row, not only UPDATE and DELETE.

UPDATE and DELETE through the bound engine on both engines, and every tampering that
`verify_stored_ledger` must catch (changed payload, re-hashed tail, deleted tail, forged
checkpoint), are specified in `tests/integration/ledger/test_ledger_verify.py`. These are the
other doors: SQLite's REPLACE conflict resolution deletes the old row without firing DELETE
triggers, and PostgreSQL's TRUNCATE fires no row trigger.
"""

from __future__ import annotations

import pytest

from registry.ledger.tables import LedgerEntry
from registry.ledger.verify import verify_stored_ledger
from tests.conftest import ENGINE

pytestmark = pytest.mark.usefixtures("demo")

REPLACEMENTS = {
    "ledger_entry": (
        "INSERT OR REPLACE INTO ledger_entry (idx, recorded_at, event_type, payload, leaf_hash) "
        "VALUES (0, '2026-01-01T00:00:00Z', 'forged', '{}', "
        "'0000000000000000000000000000000000000000000000000000000000000000')"
    ),
    "merkle_node": "INSERT OR REPLACE INTO merkle_node (level, idx, hash) VALUES (0, 0, 'ff')",
    "checkpoint": (
        # Over a checkpoint that exists: a new size would be an append, caught by verification.
        "INSERT OR REPLACE INTO checkpoint (tree_size, root_hash, note, signed_at) "
        "SELECT MIN(tree_size), 'ff', 'forged', '2026-01-01T00:00:00Z' FROM checkpoint"
    ),
    # Over the row id of an existing row, every other key new: REPLACE deletes that row too.
    "ledger_entry by row id": (
        "INSERT OR REPLACE INTO ledger_entry (id, idx, recorded_at, event_type, payload, leaf_hash) "
        "SELECT MIN(id), MAX(idx) + 1, '2026-01-01T00:00:00Z', 'forged', '{}', "
        "'1111111111111111111111111111111111111111111111111111111111111111' FROM ledger_entry"
    ),
    # Over the leaf hash of entry 0, with a new index and row id: REPLACE deletes entry 0.
    "ledger_entry by leaf hash": (
        "INSERT OR REPLACE INTO ledger_entry (idx, recorded_at, event_type, payload, leaf_hash) "
        "SELECT MAX(idx) + 1, '2026-01-01T00:00:00Z', 'forged', '{}', "
        "(SELECT leaf_hash FROM ledger_entry WHERE idx = 0) FROM ledger_entry"
    ),
    "merkle_node by row id": (
        "INSERT OR REPLACE INTO merkle_node (id, level, idx, hash) "
        "SELECT MIN(id), 60, 0, 'ff' FROM merkle_node"
    ),
    "checkpoint by row id": (
        "INSERT OR REPLACE INTO checkpoint (id, tree_size, root_hash, note, signed_at) "
        "SELECT MIN(id), MAX(tree_size) + 1, 'ff', 'forged', '2026-01-01T00:00:00Z' "
        "FROM checkpoint"
    ),
}


@pytest.mark.skipif(ENGINE != "sqlite", reason="REPLACE conflict resolution is SQLite's")
@pytest.mark.parametrize("door", sorted(REPLACEMENTS))
async def test_sqlite_refuses_insert_or_replace_over_a_ledger_row(door: str) -> None:
    table = door.split()[0]
    before = await LedgerEntry.raw(f"SELECT COUNT(*) AS n, MIN(id) AS first FROM {table}")
    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.raw(REPLACEMENTS[door])
    assert await LedgerEntry.raw(f"SELECT COUNT(*) AS n, MIN(id) AS first FROM {table}") == before
    assert (await verify_stored_ledger()).ok


@pytest.mark.skipif(ENGINE != "postgres", reason="TRUNCATE triggers are PostgreSQL's")
@pytest.mark.parametrize("table", ["ledger_entry", "merkle_node", "checkpoint"])
async def test_postgres_refuses_truncate_of_a_ledger_table(table: str) -> None:
    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.raw(f"TRUNCATE {table} CASCADE")
    assert (await verify_stored_ledger()).ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET payload = payload WHERE idx = 0",
        "UPDATE ledger_entry SET search_text = 'x' WHERE idx = 0",
        "DELETE FROM ledger_entry WHERE idx = (SELECT MAX(idx) FROM ledger_entry)",
        "UPDATE merkle_node SET hash = hash",
        "DELETE FROM checkpoint WHERE tree_size = (SELECT MAX(tree_size) FROM checkpoint)",
    ],
)
async def test_even_a_no_op_update_or_a_tail_delete_on_the_demo_ledger_is_refused(sql: str) -> None:
    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.raw(sql)
    assert (await verify_stored_ledger()).ok

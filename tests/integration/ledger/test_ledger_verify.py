"""`verify_stored_ledger` recomputes everything and names the first bad index after tampering.

Tampering needs the append-only triggers out of the way: on SQLite a copy of the database is
edited with its triggers dropped; on PostgreSQL the throwaway test database's triggers are
disabled. The last tests check that the triggers do refuse UPDATE and DELETE on both engines.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from registry.db import bind_engine, engine_for
from registry.ledger import merkle
from registry.ledger.canonical import canonical_json, entry_bytes, leaf_hash
from registry.ledger.checkpoint import Checkpoint as SignedHead
from registry.ledger.checkpoint import sign_note
from registry.ledger.journal import LedgerSigner
from registry.ledger.tables import LedgerEntry
from registry.ledger.verify import _entry_bytes, verify_stored_ledger
from registry.settings import DatabaseSettings
from tests.integration.ledger.ledger_fixtures import append_one_by_one, grant_made

TABLES = ("ledger_entry", "merkle_node", "checkpoint")
Statement = tuple[str, Sequence[Any]]


async def seed(count: int = 12) -> None:
    await append_one_by_one([grant_made(i + 1, f"Cán bộ {i}", "SXD") for i in range(count)])


async def tamper(database_url: str, statements: Sequence[Statement], tmp_path: Path) -> None:
    """Run the statements with the triggers out of the way, then bind the tampered database."""
    if database_url.startswith("postgres"):
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            for table in TABLES:
                await connection.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            for sql, args in statements:
                numbered = sql
                for n in range(1, len(args) + 1):
                    numbered = numbered.replace("?", f"${n}", 1)
                await connection.execute(numbered, *args)
        finally:
            await connection.close()
        return
    source = Path(database_url.removeprefix("sqlite:///"))
    copy = tmp_path / "tampered.sqlite3"
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
        original.backup(target)
    with sqlite3.connect(copy) as connection:
        for table in TABLES:
            connection.execute(f"DROP TRIGGER {table}_no_update")
            connection.execute(f"DROP TRIGGER {table}_no_delete")
        for sql, args in statements:
            connection.execute(sql, tuple(args))
    bind_engine(engine_for(DatabaseSettings(url=f"sqlite:///{copy}")))


async def rows() -> list[dict[str, Any]]:
    return await LedgerEntry.raw(
        "SELECT idx, recorded_at, event_type, payload FROM ledger_entry ORDER BY idx"
    )


async def test_an_untouched_ledger_verifies(database: str) -> None:
    await seed()
    result = await verify_stored_ledger()
    assert result.ok, result.summary()
    assert (result.entries, result.checkpoints) == (12, 12)
    assert "Sổ cái hợp lệ" in result.summary()
    assert "Ledger verified" in result.summary()


async def test_an_edited_payload_is_found_at_its_index(database: str, tmp_path: Path) -> None:
    await seed()
    edited = canonical_json({"grant": 999, "kind": "authorization"}).decode()
    await tamper(
        database, [("UPDATE ledger_entry SET payload = ? WHERE idx = 5", [edited])], tmp_path
    )
    result = await verify_stored_ledger()
    assert not result.ok
    assert result.first_bad_index == 5
    assert "#5" in result.summary()


async def test_an_edit_with_every_hash_and_node_recomputed_is_caught_by_the_checkpoints(
    database: str, tmp_path: Path
) -> None:
    await seed()
    stored = await rows()
    payload = {"grant": 999, "kind": "authorization"}
    leaves = []
    for row in stored:
        body = payload if row["idx"] == 7 else json.loads(row["payload"])
        leaves.append(
            leaf_hash(entry_bytes(row["idx"], row["recorded_at"], row["event_type"], body))
        )
    tree = merkle.InMemoryTree(leaves)
    statements: list[Statement] = [
        (
            "UPDATE ledger_entry SET payload = ?, leaf_hash = ? WHERE idx = 7",
            [canonical_json(payload).decode(), leaves[7].hex()],
        ),
        ("DELETE FROM merkle_node", []),
    ]
    statements += [
        ("INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)", [level, idx, h.hex()])
        for (level, idx), h in tree.nodes.items()
    ]
    await tamper(database, statements, tmp_path)
    result = await verify_stored_ledger()
    assert not result.ok
    assert result.first_bad_index == 7


async def test_a_deleted_tail_is_found_where_it_starts(database: str, tmp_path: Path) -> None:
    await seed()
    await tamper(
        database,
        [
            ("DELETE FROM ledger_entry WHERE idx >= ?", [9]),
            ("DELETE FROM merkle_node WHERE level = 0 AND idx >= ?", [9]),
        ],
        tmp_path,
    )
    result = await verify_stored_ledger()
    assert not result.ok
    assert result.first_bad_index == 9


async def test_a_forged_checkpoint_is_refused(database: str, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from registry.ledger.journal import default_signer

    await seed()
    forger = LedgerSigner(default_signer().origin, Ed25519PrivateKey.generate())
    root = bytes(32)
    note = sign_note(SignedHead(forger.origin, 12, root).body(), forger.origin, forger.key)
    await tamper(
        database,
        [
            (
                "UPDATE checkpoint SET note = ?, root_hash = ? WHERE tree_size = ?",
                [note, root.hex(), 12],
            )
        ],
        tmp_path,
    )
    result = await verify_stored_ledger()
    assert not result.ok
    assert result.first_bad_index == 11
    assert "checkpoint of size 12" in result.summary()


async def test_fast_entry_bytes_equal_the_canonical_definition(database: str) -> None:
    await append_one_by_one([grant_made(1, "Nguyễn Đức Ưng ✓", "SXD")])
    [row] = await rows()
    assert _entry_bytes(row) == entry_bytes(
        row["idx"], row["recorded_at"], row["event_type"], json.loads(row["payload"])
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET event_type = 'x' WHERE idx = 0",
        "DELETE FROM ledger_entry WHERE idx = 0",
        "UPDATE merkle_node SET level = 9 WHERE idx = 0",
        "DELETE FROM merkle_node",
        "UPDATE checkpoint SET note = 'x'",
        "DELETE FROM checkpoint",
    ],
)
async def test_append_only_triggers_refuse_update_and_delete(database: str, sql: str) -> None:
    await seed(2)
    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.raw(sql)
    assert (await verify_stored_ledger()).ok


async def test_the_cli_reports_a_verified_ledger(database: str) -> None:
    await seed(3)
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "registry.cli", "ledger", "verify"],
        env={**os.environ, "REGISTRY_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ledger verified: 3 entries" in result.stdout


@pytest.mark.parametrize(
    "payload",
    ['{"a":1.5}', '{"b":[1e5]}', '{"b": 1}', '{"b":1,"a":2}', '{"a":"e\\u0301"}'],
)
def test_a_stored_payload_that_is_not_canonical_is_refused(payload: str) -> None:
    row = {"idx": 0, "recorded_at": "2026-03-01T00:00:00Z", "event_type": "x", "payload": payload}
    with pytest.raises(ValueError, match=r"canonical|float"):
        _entry_bytes(row)
